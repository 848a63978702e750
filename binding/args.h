// Argument checks shared by the binding's entry points. The TypeScript layer validates first;
// these only make sure no JS value can crash or confuse the native side.
#pragma once

#include <napi.h>

#include <string>

namespace rtm_binding {

// A JS string with no NUL byte (the SDK takes C strings), as UTF-8. TypeError otherwise.
std::string StringArg(const Napi::Value& value, const char* name);

// A number that is an integer in the int32 range: TypeError for a non-number, RangeError for
// NaN, fractions and out-of-range values.
int Int32Arg(const Napi::Value& value, const char* name);

// A function: TypeError otherwise.
Napi::Function FunctionArg(const Napi::Value& value, const char* name);

// new Error(message) with `code` set.
Napi::Error ErrorWithCode(Napi::Env env, const std::string& message, const char* code);

}  // namespace rtm_binding
