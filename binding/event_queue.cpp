#include "event_queue.h"

#include "addon.h"
#include "event_hub.h"

#include <utility>

namespace rtm_binding {

std::shared_ptr<EventQueue> EventQueue::Create(Napi::Env env, Napi::Function dispatch) {
  std::shared_ptr<EventQueue> queue(new EventQueue());
  queue->hub_ = Addon::Of(env).Hub(env);
  queue->dispatch_ = Napi::Persistent(dispatch);
  return queue;
}

void EventQueue::Push(const Event& event) {
  // Encoded before the lock, into this thread's reused buffer: the lock covers one memcpy (the
  // JS thread takes it twice per slice; a longer hold would put it to sleep on the futex).
  thread_local std::vector<std::uint8_t> record;
  EventLog::Encode(event, record);
  PushRecord(record);
}

void EventQueue::PushRecord(const std::vector<std::uint8_t>& record) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;
    // Out of memory (no chunk could be mapped) leaves nothing better to do than go without it.
    if (!pending_.Append(record)) return;
    queued_.fetch_add(1, std::memory_order_relaxed);
    if (!TakeSchedule()) return;
  }
  // Outside the lock: the hub's call may cost a syscall (the uv wake-up).
  Schedule();
}

bool EventQueue::TakeSchedule() {
  if (scheduled_ || closed_) return false;
  scheduled_ = true;
  return true;
}

void EventQueue::Schedule() {
  if (hub_->Ready(shared_from_this())) return;
  // The hub is closed (the environment is going away): nothing will deliver these events.
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  pending_.Clear();
  queued_.store(0, std::memory_order_relaxed);
}

void EventQueue::Deliver(Napi::Env env) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    scheduled_ = false;
    if (closed_) return;
    if (draining_.Empty()) draining_.Swap(pending_);
  }
  if (draining_.Empty()) return;

  // One HandleScope per slice, and one JS value per slice: the records, copied as they are into
  // one ArrayBuffer that lib/event-decoder.ts decodes (no Node-API call per event or value).
  Napi::HandleScope scope(env);
  std::size_t count = 0;
  const std::size_t bytes = draining_.SliceBytes(kSliceEvents, kSliceBytes, &count);
  void* data = nullptr;
  napi_value slice = nullptr;
  // Mostly the environment's one shared buffer: no allocation (nor a GC's worth of external
  // memory) per slice. Out of memory for the slice: its events are dropped (as Push drops what it
  // cannot store), never retried forever.
  const bool made = Addon::Of(env).SliceBuffer(env, bytes, &data, &slice);
  draining_.TakeSlice(count, made ? static_cast<std::uint8_t*>(data) : nullptr);
  const std::size_t remaining = queued_.fetch_sub(count, std::memory_order_relaxed) - count;
  bool again = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    draining_.GiveSpareTo(pending_);
    if (!draining_.Empty() || !pending_.Empty()) again = TakeSchedule();
  }
  if (again) Schedule();
  if (!made) return;

  // The dispatcher may release this client (Close() resets dispatch_), so the function is taken
  // into this scope first; nothing of `this` is used after the call.
  napi_value dispatch = dispatch_.Value();
  //
  // Choice: an exception thrown by the dispatcher is reported exactly like one thrown by a timer
  // callback: process 'uncaughtException' (a worker's 'error' event), and the process dies if
  // nobody listens. (Left pending, Node-API's legacy policy for NAPI_VERSION 8 would only print a
  // deprecation warning and drop it.) The rest of that slice was handed over already; later
  // slices keep coming. While the environment is terminating nothing is pending (the call just
  // fails) and nothing is reported.
  napi_value argv[] = {slice, Napi::Number::New(env, static_cast<double>(remaining)),
                       Napi::Number::New(env, static_cast<double>(bytes))};
  napi_value ignored = nullptr;
  if (napi_call_function(env, env.Undefined(), dispatch, 3, argv, &ignored) != napi_ok) {
    bool pending = false;
    napi_value error = nullptr;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
        napi_get_and_clear_last_exception(env, &error) == napi_ok) {
      napi_fatal_exception(env, error);
    }
  }
}

void EventQueue::Ref() {
  if (refd_ || dispatch_.IsEmpty()) return;
  refd_ = true;
  hub_->Ref();
}

void EventQueue::Unref() {
  if (!refd_) return;
  refd_ = false;
  hub_->Unref();
}

void EventQueue::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.Clear();
    draining_.Clear();  // JS thread: Close runs there
    queued_.store(0);
    closed_ = true;
  }
  // JS thread (also at environment teardown, from Addon::~Addon, where the hub's function is
  // finalized already and Unref touches only its count).
  Unref();
  dispatch_.Reset();
}

}  // namespace rtm_binding
