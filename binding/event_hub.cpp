#include "event_hub.h"

#include <chrono>
#include <utility>

#include "event_queue.h"

namespace rtm_binding {

std::shared_ptr<EventHub> EventHub::Create(Napi::Env env) {
  std::shared_ptr<EventHub> hub(new EventHub());
  // The function's own reference to the hub, dropped by Finalize: CallJs may run (with a null
  // env, at teardown) after the Addon let go of it.
  auto* self = new std::shared_ptr<EventHub>(hub);
  try {
    hub->tsfn_ = Tsfn::New(env, "agora-rtm-node:events", /*maxQueueSize=*/0, /*initialThreadCount=*/1, hub.get(),
                           &EventHub::Finalize, self);
  } catch (...) {
    delete self;
    throw;
  }
  // Clients alone must not keep the process alive; each refs it while it has reasons to.
  hub->tsfn_.Unref(env);
  hub->env_ = env;
  return hub;
}

bool EventHub::Ready(std::shared_ptr<EventQueue> queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return false;
  ready_.push_back(std::move(queue));
  if (scheduled_) return true;
  scheduled_ = true;
  // The queue is unbounded, so this never blocks. Under mutex_, so Release() cannot release the
  // function between the closed_ check and this call.
  if (tsfn_.NonBlockingCall() != napi_ok) {
    // napi_closing: the environment is going away; Node forbids any further use of the function.
    // The list is emptied by Finalize, on the JS thread.
    closed_ = true;
    return false;
  }
  return true;
}

void EventHub::CallJs(Napi::Env env, Napi::Function /*unused*/, EventHub* hub, void* /*data*/) {
  // A null env means Node is draining the function at teardown: nothing may touch JS; the
  // queues' events are dropped with their clients (Addon::~Addon).
  if (hub == nullptr || static_cast<napi_env>(env) == nullptr) return;
  const auto start = std::chrono::steady_clock::now();
  for (bool first = true;; first = false) {
    {
      std::lock_guard<std::mutex> lock(hub->mutex_);
      if (hub->closed_) {
        hub->ready_.clear();
        hub->scheduled_ = false;
        break;
      }
      if (hub->ready_.empty()) {
        hub->scheduled_ = false;  // the next queue to become ready schedules the next call
        break;
      }
      if (!first && std::chrono::steady_clock::now() - start >= kCallBudget) {
        // The loop's other work (timers, I/O, other callbacks) goes first; the rest in the next
        // call, which this one schedules (scheduled_ stays set).
        if (hub->tsfn_.NonBlockingCall() != napi_ok) hub->closed_ = true;  // Finalize empties the list
        break;
      }
      hub->running_.swap(hub->ready_);
    }
    // A dispatcher may release its own or another client, or the last one (Release() inside this
    // loop): each queue then answers as closed and delivers nothing, and the next round sees the
    // hub closed. `hub` itself stays alive until Finalize, which Node runs after this call returns.
    for (std::shared_ptr<EventQueue>& queue : hub->running_) {
      queue->Deliver(env);
      queue.reset();
    }
    hub->running_.clear();
  }
}

void EventHub::Finalize(Napi::Env /*env*/, std::shared_ptr<EventHub>* self, EventHub* hub) {
  std::vector<std::shared_ptr<EventQueue>> dropped;
  {
    std::lock_guard<std::mutex> lock(hub->mutex_);
    hub->closed_ = true;
    dropped.swap(hub->ready_);
  }
  dropped.clear();  // outside the lock: a queue's last owner may be this list
  delete self;  // may free `hub`
}

void EventHub::Ref() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (++refs_ == 1 && !closed_) tsfn_.Ref(env_);
}

void EventHub::Unref() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (refs_ > 0 && --refs_ == 0 && !closed_) tsfn_.Unref(env_);
}

void EventHub::Release() {
  bool release = false;
  std::vector<std::shared_ptr<EventQueue>> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Finalize sets closed_ too, so a finalized function is never released (use after free).
    release = !closed_;
    closed_ = true;
    dropped.swap(ready_);
  }
  dropped.clear();
  // Outside the lock: no producer calls the function any more (closed_), and Finalize only ever
  // runs on this thread, later.
  if (release) tsfn_.Release();
}

}  // namespace rtm_binding
