#include "event_queue.h"

#include "addon.h"

#include <utility>

namespace rtm_binding {

std::shared_ptr<EventQueue> EventQueue::Create(Napi::Env env, Napi::Function dispatch) {
  std::shared_ptr<EventQueue> queue(new EventQueue());
  // The function's own reference to the queue, dropped by Finalize.
  auto* self = new std::shared_ptr<EventQueue>(queue);
  try {
    queue->tsfn_ = Tsfn::New(env, dispatch, "agora-rtm-node:events", /*maxQueueSize=*/0,
                             /*initialThreadCount=*/1, queue.get(), &EventQueue::Finalize, self);
  } catch (...) {
    delete self;
    throw;
  }
  // A client alone must not keep the process alive; TypeScript refs it while it has reasons to.
  queue->tsfn_.Unref(env);
  return queue;
}

void EventQueue::Push(const Event& event) {
  // Encoded before the lock, into this thread's reused buffer: the lock covers one memcpy.
  thread_local std::vector<std::uint8_t> record;
  EventLog::Encode(event, record);
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  // Out of memory (no chunk could be mapped) leaves nothing better to do than go without it.
  if (!pending_.Append(record)) return;
  queued_.fetch_add(1, std::memory_order_relaxed);
  ScheduleLocked();
}

void EventQueue::ScheduleLocked() {
  if (scheduled_ || closed_) return;
  scheduled_ = true;
  // The queue is unbounded, so this never blocks. Under mutex_, so Close() cannot release the
  // function between the closed_ check and this call.
  if (tsfn_.NonBlockingCall() != napi_ok) {
    // napi_closing: the environment is going away; Node forbids any further use of the function.
    closed_ = true;
  }
}

void EventQueue::CallJs(Napi::Env env, Napi::Function dispatch, EventQueue* queue, void* /*unused*/) {
  if (queue == nullptr) return;
  // A null env/function means Node is draining the function at teardown: nothing may touch JS;
  // Finalize frees the events.
  if (static_cast<napi_env>(env) == nullptr || dispatch.IsEmpty()) return;
  {
    std::lock_guard<std::mutex> lock(queue->mutex_);
    queue->scheduled_ = false;
    if (queue->closed_) return;
    if (queue->draining_.Empty()) queue->draining_.Swap(queue->pending_);
  }
  if (queue->draining_.Empty()) return;

  // One HandleScope per slice, and one JS value per slice: the records, copied as they are into
  // one ArrayBuffer that lib/event-decoder.ts decodes (no Node-API call per event or value).
  Napi::HandleScope scope(env);
  std::size_t count = 0;
  const std::size_t bytes = queue->draining_.SliceBytes(kSliceEvents, kSliceBytes, &count);
  void* data = nullptr;
  napi_value slice = nullptr;
  // Mostly the environment's one shared buffer: no allocation (nor a GC's worth of external
  // memory) per slice. Out of memory for the slice: its events are dropped (as Push drops what it
  // cannot store), never retried forever.
  const bool made = Addon::Of(env).SliceBuffer(env, bytes, &data, &slice);
  queue->draining_.TakeSlice(count, made ? static_cast<std::uint8_t*>(data) : nullptr);
  const std::size_t remaining = queue->queued_.fetch_sub(count, std::memory_order_relaxed) - count;
  {
    std::lock_guard<std::mutex> lock(queue->mutex_);
    queue->draining_.GiveSpareTo(queue->pending_);
    if (!queue->draining_.Empty() || !queue->pending_.Empty()) queue->ScheduleLocked();
  }
  if (!made) return;

  // `queue` may be freed by the time Call returns (the dispatcher may release the client), so it
  // is not touched below.
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

void EventQueue::Finalize(Napi::Env /*env*/, std::shared_ptr<EventQueue>* self, EventQueue* queue) {
  {
    std::lock_guard<std::mutex> lock(queue->mutex_);
    queue->closed_ = true;
    queue->pending_.Clear();
    queue->draining_.Clear();
    queue->queued_.store(0);
  }
  delete self;  // may free `queue`
}

void EventQueue::Ref(Napi::Env env) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!closed_) tsfn_.Ref(env);
}

void EventQueue::Unref(Napi::Env env) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!closed_) tsfn_.Unref(env);
}

void EventQueue::Close() {
  bool release = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.Clear();
    draining_.Clear();  // JS thread: Close runs there
    queued_.store(0);
    // Finalize sets closed_ too, so a finalized function is never released (use after free).
    release = !closed_;
    closed_ = true;
  }
  // Outside the lock: no producer calls the function any more (closed_), and Finalize only ever
  // runs on this thread, later.
  if (release) tsfn_.Release();
}

}  // namespace rtm_binding
