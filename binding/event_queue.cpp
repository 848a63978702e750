#include "event_queue.h"

#include <utility>

namespace rtm_binding {

Napi::Value Value::ToJs(Napi::Env env) const {
  switch (type) {
    case Type::Null:
      return env.Null();
    case Type::Bool:
      return Napi::Boolean::New(env, boolean);
    case Type::Number:
      return Napi::Number::New(env, number);
    case Type::BigInt:
      return Napi::BigInt::New(env, bigint);
    case Type::String:
      return Napi::String::New(env, text);
    case Type::Bytes: {
      static const std::uint8_t kNothing = 0;  // never hand memcpy a null pointer
      return Napi::Buffer<std::uint8_t>::Copy(env, bytes.empty() ? &kNothing : bytes.data(), bytes.size());
    }
    case Type::Array: {
      Napi::Array out = Napi::Array::New(env, items.size());
      for (std::size_t i = 0; i < items.size(); ++i) out.Set(static_cast<std::uint32_t>(i), items[i].ToJs(env));
      return out;
    }
  }
  return env.Undefined();
}

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

void EventQueue::Push(Event event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  const bool was_empty = pending_.empty();
  pending_.push_back(std::move(event));
  // Only the transition empty → non-empty schedules a call: CallJs takes everything queued up
  // to the moment it runs. Called under mutex_, so Close() cannot release the function between
  // the closed_ check and this call. The queue is unbounded, so this never blocks.
  if (was_empty && tsfn_.NonBlockingCall() != napi_ok) {
    // napi_closing: the environment is going away; Node forbids any further use of the function.
    closed_ = true;
  }
}

void EventQueue::CallJs(Napi::Env env, Napi::Function dispatch, EventQueue* queue, void* /*unused*/) {
  if (queue == nullptr) return;
  std::vector<Event> batch;
  {
    std::lock_guard<std::mutex> lock(queue->mutex_);
    batch.swap(queue->pending_);
  }
  // A null env/function means Node is draining the function at teardown: the events are freed
  // with `batch` and nothing may touch JS.
  if (static_cast<napi_env>(env) == nullptr || dispatch.IsEmpty() || batch.empty()) return;

  Napi::HandleScope scope(env);
  Napi::Array events = Napi::Array::New(env, batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Event& event = batch[i];
    Napi::Array item = Napi::Array::New(env, event.args.size() + 1);
    item.Set(0u, Napi::Number::New(env, event.kind));
    for (std::size_t a = 0; a < event.args.size(); ++a) {
      item.Set(static_cast<std::uint32_t>(a + 1), event.args[a].ToJs(env));
    }
    events.Set(static_cast<std::uint32_t>(i), item);
  }
  batch.clear();  // free the copies before running JS, which may run for a while

  // `queue` may be freed by the time Call returns (the dispatcher may release the client), so it
  // is not touched below.
  //
  // Choice: an exception thrown by the dispatcher is reported exactly like one thrown by a timer
  // callback: process 'uncaughtException' (a worker's 'error' event), and the process dies if
  // nobody listens. (Left pending, Node-API's legacy policy for NAPI_VERSION 8 would only print a
  // deprecation warning and drop it.) The rest of that batch was handed over already; later
  // batches keep coming. While the environment is terminating nothing is pending (the call just
  // fails) and nothing is reported.
  napi_value argv[] = {events};
  napi_value ignored = nullptr;
  if (napi_call_function(env, env.Undefined(), dispatch, 1, argv, &ignored) != napi_ok) {
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
    queue->pending_.clear();
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

void EventQueue::Close(bool discard) {
  bool release = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (discard) pending_.clear();
    // Finalize sets closed_ too, so a finalized function is never released (use after free).
    release = !closed_;
    closed_ = true;
  }
  // Outside the lock: no producer calls the function any more (closed_), and Finalize only ever
  // runs on this thread, later.
  if (release) tsfn_.Release();
}

}  // namespace rtm_binding
