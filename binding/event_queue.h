// SDK thread → copy → queue → batched thread-safe-function calls → JS dispatcher.
//
// Producers (SDK callback threads) copy callback arguments into an Event and Push() it, which
// encodes it into the compact EventLog (event_log.h). The first push while no call is scheduled
// issues one NonBlockingCall; CallJs then hands the JS dispatcher the queued events' records at
// the start of one ArrayBuffer (event_log.h's format, decoded by lib/event-decoder.ts; mostly the
// environment's shared one, Addon::SliceBuffer) with their length, at most kSliceEvents
// and about kSliceBytes per call so a large backlog never becomes one huge value, and schedules
// itself again while events remain.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "event_log.h"

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
  void Push(const Event& event);

  // Events queued and not yet handed to JS. Any thread.
  std::size_t Pending() const { return queued_.load(std::memory_order_relaxed); }

  // JS thread only.
  void Ref(Napi::Env env);
  void Unref(Napi::Env env);
  // Releases the thread-safe function and drops the events still queued (the client is gone:
  // nothing would handle them). Idempotent; a no-op once Node has finalized the function
  // (environment teardown), which must then not be touched at all.
  void Close();

  // The most events one dispatcher call gets.
  static constexpr std::size_t kSliceEvents = 1024;
  // …and at most this many bytes of records (unless one record alone is larger).
  static constexpr std::size_t kSliceBytes = 256 * 1024;

 private:
  // JS thread: hands the dispatcher up to kSliceEvents events and the count still queued after
  // them, scheduling another call for the rest. env is null at teardown.
  static void CallJs(Napi::Env env, Napi::Function dispatch, EventQueue* queue, void* unused);
  // JS thread (or teardown): Node is done with the function; drops the function's reference.
  static void Finalize(Napi::Env env, std::shared_ptr<EventQueue>* self, EventQueue* queue);
  using Tsfn = Napi::TypedThreadSafeFunction<EventQueue, void, &EventQueue::CallJs>;

  EventQueue() = default;
  // Under mutex_: one NonBlockingCall unless one is scheduled already.
  void ScheduleLocked();

  mutable std::mutex mutex_;
  EventLog pending_;  // guarded by mutex_: written by producers
  EventLog draining_;  // JS thread only: swapped out of pending_, read by CallJs
  std::atomic<std::size_t> queued_{0};  // pending_ + draining_
  bool scheduled_ = false;  // guarded by mutex_: a CallJs is on its way
  // Guarded by mutex_. Set by Close(), by Finalize() (Node freed the function at teardown) and
  // by a NonBlockingCall that answered napi_closing. Once set, tsfn_ is not touched again
  // (apart from the one Release() by the Close() call that set it).
  bool closed_ = false;
  Tsfn tsfn_;
};

}  // namespace rtm_binding
