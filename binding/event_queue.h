// SDK thread → copy → queue → the environment's event hub → batched calls → JS dispatcher.
//
// Producers (SDK callback threads) copy callback arguments into an Event and Push() it, which
// encodes it into the compact EventLog (event_log.h). The first push while the queue is not
// scheduled puts it on its environment's EventHub (event_hub.h: one thread-safe function shared by
// every client of the environment); the hub's call then has Deliver() hand this client's JS
// dispatcher the queued events' records at the start of one ArrayBuffer (event_log.h's format,
// decoded by lib/event-decoder.ts; mostly the environment's shared one, Addon::SliceBuffer) with
// their length, at most kSliceEvents and about kSliceBytes per call so a large backlog never
// becomes one huge value, and the queue joins the hub's list again while events remain.
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

class EventHub;

// Owned through std::shared_ptr by the client state, the handlers (producers) and, while it is
// scheduled, its hub's ready list, so whichever lets go last frees it.
class EventQueue : public std::enable_shared_from_this<EventQueue> {
 public:
  // JS thread. Joins the environment's hub (made with the first client).
  static std::shared_ptr<EventQueue> Create(Napi::Env env, Napi::Function dispatch);

  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue() = default;

  // Any thread; never blocks beyond a short mutex hold. Dropped once closed.
  void Push(const Event& event);
  // The same for a record written already (RecordWriter, event_log.h).
  void PushRecord(const std::vector<std::uint8_t>& record);

  // Events queued and not yet handed to JS. Any thread.
  std::size_t Pending() const { return queued_.load(std::memory_order_relaxed); }

  // JS thread only: whether this client keeps the loop alive (one counted ref on the hub).
  void Ref();
  void Unref();
  // Drops the events still queued (the client is gone: nothing would handle them), the dispatcher
  // and this client's ref on the hub. Idempotent; never calls JS. The client's owner releases the
  // hub when it was the environment's last client (Addon::CloseClient).
  void Close();

  // JS thread, from the hub's call: hands the dispatcher up to kSliceEvents events and the count
  // still queued after them, and joins the hub's list again for the rest.
  void Deliver(Napi::Env env);

  // The most events one dispatcher call gets.
  static constexpr std::size_t kSliceEvents = 1024;
  // …and at most this many bytes of records (unless one record alone is larger).
  static constexpr std::size_t kSliceBytes = 256 * 1024;

 private:
  EventQueue() = default;
  // Under mutex_: true when the caller is to call Schedule() (not scheduled yet, not closed).
  bool TakeSchedule();
  // Not under mutex_: joins the hub's ready list (the caller set scheduled_).
  void Schedule();

  mutable std::mutex mutex_;
  EventLog pending_;  // guarded by mutex_: written by producers
  EventLog draining_;  // JS thread only: swapped out of pending_, read by Deliver
  std::atomic<std::size_t> queued_{0};  // pending_ + draining_
  bool scheduled_ = false;  // guarded by mutex_: on the hub's ready list
  bool closed_ = false;  // guarded by mutex_: set by Close(), or when the hub is closed
  bool refd_ = false;  // JS thread
  std::shared_ptr<EventHub> hub_;  // set once by Create
  Napi::FunctionReference dispatch_;  // JS thread; reset by Close()
};

}  // namespace rtm_binding
