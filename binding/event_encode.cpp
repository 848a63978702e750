#include "event_encode.h"

#include <cstdint>
#include <string>
#include <vector>

#include "event_log.h"
#include "event_queue.h"

namespace rtm_binding {
namespace {

constexpr int kMaxDepth = 8;  // as the decoder's limit

// null, boolean, number, bigint (int64), string (its UTF-8, NUL bytes included), Uint8Array
// (bytes) or an array of these.
Value ToValue(const Napi::Value& js, int depth) {
  Napi::Env env = js.Env();
  if (depth > kMaxDepth) throw Napi::RangeError::New(env, "encodeEventSlices: nested too deep");
  switch (js.Type()) {
    case napi_null:
      return Value::Null();
    case napi_boolean:
      return Value::Bool(js.As<Napi::Boolean>().Value());
    case napi_number:
      return Value::Number(js.As<Napi::Number>().DoubleValue());
    case napi_bigint: {
      bool lossless = false;
      const std::int64_t v = js.As<Napi::BigInt>().Int64Value(&lossless);
      if (!lossless) throw Napi::RangeError::New(env, "encodeEventSlices: a bigint beyond int64");
      return Value::BigInt(v);
    }
    case napi_string:
      return Value::String(js.As<Napi::String>().Utf8Value());
    default:
      break;
  }
  if (js.IsTypedArray() && js.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    Napi::Uint8Array bytes = js.As<Napi::Uint8Array>();
    return Value::Bytes(bytes.Data(), bytes.ByteLength());
  }
  if (js.IsArray()) {
    Napi::Array array = js.As<Napi::Array>();
    std::vector<Value> items;
    items.reserve(array.Length());
    for (std::uint32_t i = 0; i < array.Length(); ++i) items.push_back(ToValue(array.Get(i), depth + 1));
    return Value::Array(std::move(items));
  }
  throw Napi::TypeError::New(env, "encodeEventSlices: unsupported value");
}

// encodeEventSlices(events: [kind, ...args][]) → ArrayBuffer[] (the slices, in order).
Napi::Value EncodeEventSlices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "encodeEventSlices: an array of events");
  Napi::Array events = info[0].As<Napi::Array>();
  EventLog log;
  std::vector<std::uint8_t> record;
  for (std::uint32_t i = 0; i < events.Length(); ++i) {
    Napi::Value item = events.Get(i);
    if (!item.IsArray() || item.As<Napi::Array>().Length() == 0) {
      throw Napi::TypeError::New(env, "encodeEventSlices: each event is [kind, ...args]");
    }
    Napi::Array js = item.As<Napi::Array>();
    Event event;
    event.kind = js.Get(0u).As<Napi::Number>().Int32Value();
    for (std::uint32_t a = 1; a < js.Length(); ++a) event.args.push_back(ToValue(js.Get(a), 0));
    EventLog::Encode(event, record);
    if (!log.Append(record)) throw Napi::Error::New(env, "encodeEventSlices: out of memory");
  }
  Napi::Array slices = Napi::Array::New(env);
  while (!log.Empty()) {
    std::size_t count = 0;
    const std::size_t bytes = log.SliceBytes(EventQueue::kSliceEvents, EventQueue::kSliceBytes, &count);
    Napi::ArrayBuffer slice = Napi::ArrayBuffer::New(env, bytes);
    log.TakeSlice(count, static_cast<std::uint8_t*>(slice.Data()));
    slices.Set(slices.Length(), slice);
  }
  return slices;
}

}  // namespace

void ExportEventEncoder(Napi::Env env, Napi::Object exports) {
  exports.Set("encodeEventSlices", Napi::Function::New(env, EncodeEventSlices, "encodeEventSlices"));
}

}  // namespace rtm_binding
