// Argument checks shared by the binding's entry points. The TypeScript layer validates first;
// these only make sure no JS value can crash or confuse the native side.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rtm_binding {

// A JS string with no NUL byte (the SDK takes C strings), as UTF-8. TypeError otherwise.
std::string StringArg(const Napi::Value& value, const char* name);

// As StringArg, without a heap copy for strings that fit `capacity` bytes of UTF-8 (one
// Node-API call): written to `buffer` (NUL-terminated) or, when longer, to `*spill`. Returns the
// C string, valid while both live. For the hot paths (sendMessageToPeer).
const char* StringArgInto(const Napi::Value& value, const char* name, char* buffer, std::size_t capacity,
                          std::string* spill);

// A number that is an integer in the int32 range: TypeError for a non-number, RangeError for
// NaN, fractions and out-of-range values.
int Int32Arg(const Napi::Value& value, const char* name);

// A boolean (not truthy/falsy values): TypeError otherwise.
bool BoolArg(const Napi::Value& value, const char* name);

// An array of strings (each as StringArg) whose length fits an int: TypeError for a non-array or
// a bad item, RangeError for more than INT_MAX items.
std::vector<std::string> StringArrayArg(const Napi::Value& value, const char* name);

// An array of [key, value] string pairs (each an array of exactly two strings as StringArg), with
// the same rules as StringArrayArg.
std::vector<std::pair<std::string, std::string>> StringPairArrayArg(const Napi::Value& value, const char* name);

// The bytes of a Uint8Array (a Buffer is one), copied at once, from the view's own offset and
// length: TypeError for anything else, RangeError for more than INT_MAX bytes.
std::vector<std::uint8_t> BytesArg(const Napi::Value& value, const char* name);

// A function: TypeError otherwise.
Napi::Function FunctionArg(const Napi::Value& value, const char* name);

// new Error(message) with `code` set.
Napi::Error ErrorWithCode(Napi::Env env, const std::string& message, const char* code);

}  // namespace rtm_binding
