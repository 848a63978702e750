#include "args.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
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

const char* StringArgInto(const Napi::Value& value, const char* name, char* buffer, std::size_t capacity,
                          std::string* spill) {
  Napi::Env env = value.Env();
  std::size_t length = 0;
  // One Node-API call, no napi_typeof first: it answers napi_string_expected (and throws nothing)
  // for any other type. Copies at most capacity - 1 bytes, and only whole characters: a string
  // cut short stops at most 3 bytes (the longest character, 4 bytes, minus one) before that, so a
  // result shorter than capacity - 4 is the whole string.
  if (napi_get_value_string_utf8(env, value, buffer, capacity, &length) != napi_ok) {
    throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must be a string");
  }
  const char* out = buffer;
  if (length + 4 >= capacity) {
    *spill = value.As<Napi::String>().Utf8Value();
    out = spill->c_str();
    length = spill->size();
  }
  if (std::memchr(out, '\0', length) != nullptr) {
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

bool BoolArg(const Napi::Value& value, const char* name) {
  if (!value.IsBoolean()) {
    throw Napi::TypeError::New(value.Env(), std::string("The \"") + name + "\" argument must be a boolean");
  }
  return value.As<Napi::Boolean>().Value();
}

namespace {

// The array's length, checked to fit the SDK's int counts. Items are read one by one with Get,
// so a sparse or huge `length` costs nothing up front (the first missing item is a TypeError).
std::uint32_t ArrayLength(const Napi::Value& value, const char* name, const char* what) {
  Napi::Env env = value.Env();
  if (!value.IsArray()) {
    throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must be an array of " + what);
  }
  const std::uint32_t length = value.As<Napi::Array>().Length();
  if (length > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
    throw Napi::RangeError::New(env, std::string("The \"") + name + "\" argument has too many items");
  }
  return length;
}

// Reserve no more than this up front: `length` is only a claim until every item has been read.
constexpr std::uint32_t kMaxReserve = 4096;

}  // namespace

std::vector<std::string> StringArrayArg(const Napi::Value& value, const char* name) {
  const std::uint32_t length = ArrayLength(value, name, "strings");
  Napi::Array array = value.As<Napi::Array>();
  const std::string item_name = std::string(name) + "[]";
  std::vector<std::string> out;
  out.reserve(std::min(length, kMaxReserve));
  for (std::uint32_t i = 0; i < length; ++i) out.push_back(StringArg(array.Get(i), item_name.c_str()));
  return out;
}

std::vector<std::pair<std::string, std::string>> StringPairArrayArg(const Napi::Value& value, const char* name) {
  Napi::Env env = value.Env();
  const std::uint32_t length = ArrayLength(value, name, "[string, string] pairs");
  Napi::Array array = value.As<Napi::Array>();
  const std::string key_name = std::string(name) + "[][0]";
  const std::string value_name = std::string(name) + "[][1]";
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(std::min(length, kMaxReserve));
  for (std::uint32_t i = 0; i < length; ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsArray() || item.As<Napi::Array>().Length() != 2) {
      throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must be an array of [string, string] pairs");
    }
    Napi::Array pair = item.As<Napi::Array>();
    std::string key = StringArg(pair.Get(0u), key_name.c_str());
    std::string text = StringArg(pair.Get(1u), value_name.c_str());
    out.emplace_back(std::move(key), std::move(text));
  }
  return out;
}

std::vector<std::uint8_t> BytesArg(const Napi::Value& value, const char* name) {
  Napi::Env env = value.Env();
  napi_typedarray_type type = napi_int8_array;
  std::size_t length = 0;
  void* data = nullptr;  // already advanced by the view's byteOffset (Node-API contract)
  if (!value.IsTypedArray() ||
      napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    throw Napi::TypeError::New(env, std::string("The \"") + name + "\" argument must be a Uint8Array or Buffer");
  }
  if (length > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Napi::RangeError::New(env, std::string("The \"") + name + "\" argument is too large");
  }
  // A detached buffer reads as length 0 (data may then be NULL).
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  if (length == 0 || bytes == nullptr) return {};
  return std::vector<std::uint8_t>(bytes, bytes + length);
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
