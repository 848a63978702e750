#include "args.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace rtm_binding {

std::string StringArg(const Napi::Value& value, const char* name) {
  Napi::Env env = value.Env();
  if (!value.IsString()) {
    throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must be a string");
  }
  std::string out = value.As<Napi::String>().Utf8Value();
  if (out.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must not contain NUL bytes");
  }
  return out;
}

int Int32Arg(const Napi::Value& value, const char* name) {
  Napi::Env env = value.Env();
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must be a number");
  }
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || std::trunc(number) != number ||
      number < static_cast<double>(std::numeric_limits<std::int32_t>::min()) ||
      number > static_cast<double>(std::numeric_limits<std::int32_t>::max())) {
    throw Napi::RangeError::New(env, std::string("The \"") + name + "\" argument must be a 32-bit integer");
  }
  return static_cast<int>(number);
}

Napi::Function FunctionArg(const Napi::Value& value, const char* name) {
  if (!value.IsFunction()) {
    throw Napi::TypeError::New(value.Env(), std::string("The \"") + name + "\" argument must be a function");
  }
  return value.As<Napi::Function>();
}

Napi::Error ErrorWithCode(Napi::Env env, const std::string& message, const char* code) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

}  // namespace rtm_binding
