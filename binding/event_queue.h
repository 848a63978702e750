// SDK thread → copy → queue → one batched thread-safe-function call → JS dispatcher.
//
// Producers (SDK callback threads) copy callback arguments into an Event and Push() it. The first
// push into an empty queue issues one NonBlockingCall; CallJs then swaps the whole queue out and
// calls the JS dispatcher once with an array of events, each `[kind, ...args]` (lib/native.ts).
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rtm_binding {

// One callback argument, copied out of SDK memory. A small tagged value rather than a fixed
// struct per event kind, so later kinds (raw message bytes, id lists, per-peer pairs, attribute
// lists…) need no redesign: they are Strings, Bytes and nested Arrays of these.
struct Value {
  enum class Type : std::uint8_t { Null, Bool, Number, BigInt, String, Bytes, Array };

  static Value Null() { return Value(Type::Null); }
  // A JS boolean (not 0/1).
  static Value Bool(bool v) {
    Value out(Type::Bool);
    out.boolean = v;
    return out;
  }
  static Value Number(double v) {
    Value out(Type::Number);
    out.number = v;
    return out;
  }
  // 64-bit ids (message ids, request ids) arrive in JS as bigint.
  static Value BigInt(long long v) {
    Value out(Type::BigInt);
    out.bigint = static_cast<std::int64_t>(v);
    return out;
  }
  // A NULL pointer becomes "" (the SDK hands out NULL and "" interchangeably).
  static Value String(const char* s) {
    Value out(Type::String);
    if (s != nullptr) out.text = s;
    return out;
  }
  static Value String(std::string s) {
    Value out(Type::String);
    out.text = std::move(s);
    return out;
  }
  // Becomes a Buffer (copied: the addon is built with NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED).
  static Value Bytes(const std::uint8_t* data, std::size_t length) {
    Value out(Type::Bytes);
    if (data != nullptr && length > 0) out.bytes.assign(data, data + length);
    return out;
  }
  static Value Array(std::vector<Value> items) {
    Value out(Type::Array);
    out.items = std::move(items);
    return out;
  }

  Napi::Value ToJs(Napi::Env env) const;

  Type type;
  bool boolean = false;
  double number = 0;
  std::int64_t bigint = 0;
  std::string text;
  std::vector<std::uint8_t> bytes;
  std::vector<Value> items;  // std::vector of an incomplete type is allowed since C++17

 private:
  explicit Value(Type t) : type(t) {}
};

// One SDK callback: EventKind (lib/native.ts) plus its arguments in order.
struct Event {
  int kind = 0;
  std::vector<Value> args;
};

// Owned through std::shared_ptr by the client state, the service handler (producer) and the
// thread-safe function (released in its finalizer), so whichever lets go last frees it.
class EventQueue {
 public:
  // JS thread. The thread-safe function starts unref'd: it does not keep the loop alive.
  static std::shared_ptr<EventQueue> Create(Napi::Env env, Napi::Function dispatch);

  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue() = default;

  // Any thread; never blocks beyond a short mutex hold. Dropped once closed.
  void Push(Event event);

  // JS thread only.
  void Ref(Napi::Env env);
  void Unref(Napi::Env env);
  // Releases the thread-safe function. Events already queued are still delivered while the env
  // is alive unless `discard`. Idempotent; a no-op once Node has finalized the function
  // (environment teardown), which must then not be touched at all.
  void Close(bool discard = false);

 private:
  // JS thread: swaps the queue out and calls the dispatcher once. env is null at teardown.
  static void CallJs(Napi::Env env, Napi::Function dispatch, EventQueue* queue, void* unused);
  // JS thread (or teardown): Node is done with the function; drops the function's reference.
  static void Finalize(Napi::Env env, std::shared_ptr<EventQueue>* self, EventQueue* queue);
  using Tsfn = Napi::TypedThreadSafeFunction<EventQueue, void, &EventQueue::CallJs>;

  EventQueue() = default;

  std::mutex mutex_;
  std::vector<Event> pending_;  // guarded by mutex_
  // Guarded by mutex_. Set by Close(), by Finalize() (Node freed the function at teardown) and
  // by a NonBlockingCall that answered napi_closing. Once set, tsfn_ is not touched again
  // (apart from the one Release() by the Close() call that set it).
  bool closed_ = false;
  Tsfn tsfn_;
};

}  // namespace rtm_binding
