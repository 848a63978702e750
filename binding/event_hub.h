// One thread-safe function per environment, shared by every client of that environment, so one
// uv wake-up of the JS thread carries the events of many clients (a flood into ten clients, or a
// thousand clients talking, costs one wake-up per batch rather than one per client per batch).
//
// A client's EventQueue (event_queue.h) keeps its own events in its own order; when it gets its
// first event while not scheduled, it puts itself on the hub's ready list, and the first queue
// to do so while no call is on its way issues the one NonBlockingCall. CallJs then lets each
// queue that was ready hand one slice to its own dispatcher, in the order they became ready; a
// queue with more left joins the list again (behind the others), so a busy client cannot starve
// the rest and per-client order is kept.
//
// Lifetime (Addon::Hub): made with the environment's first client, released with its last
// (ClientCore::Close → Addon::CloseClient), then finalized by Node; the next client makes a new
// one. Starts unref'd; counted refs from the clients that want the loop kept alive.
#pragma once

#include <napi.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace rtm_binding {

class EventQueue;

class EventHub {
 public:
  // JS thread.
  static std::shared_ptr<EventHub> Create(Napi::Env env);

  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;
  ~EventHub() = default;

  // Any thread, called by a queue that has just marked itself scheduled (outside its own mutex:
  // the call may cost the uv wake-up's syscall). False once the hub is closed (released, or Node
  // is tearing the environment down): the queue then drops its events, nothing would deliver them.
  bool Ready(std::shared_ptr<EventQueue> queue);

  // JS thread. A client that wants the loop kept alive holds one ref; the function is ref'd while
  // any does.
  void Ref();
  void Unref();
  // JS thread: the environment's last client went. Idempotent; a no-op once Node finalized the
  // function (environment teardown), which must then not be touched.
  void Release();

 private:
  // JS thread: rounds in which each queue ready at the round's start delivers one slice. env is
  // null at teardown.
  static void CallJs(Napi::Env env, Napi::Function unused, EventHub* hub, void* data);
  // Node is done with the function (after Release, or at environment teardown).
  static void Finalize(Napi::Env env, std::shared_ptr<EventHub>* self, EventHub* hub);
  using Tsfn = Napi::TypedThreadSafeFunction<EventHub, void, &EventHub::CallJs>;

  EventHub() = default;

  std::mutex mutex_;
  std::vector<std::shared_ptr<EventQueue>> ready_;  // guarded by mutex_
  std::vector<std::shared_ptr<EventQueue>> running_;  // JS thread: the ready list being served
  bool scheduled_ = false;  // guarded by mutex_: a CallJs is on its way or running
  // How long one CallJs goes on serving queues that became ready while it ran.
  static constexpr std::chrono::microseconds kCallBudget{1000};
  // Guarded by mutex_. Set by Release(), by Finalize() and by a NonBlockingCall that answered
  // napi_closing; tsfn_ is not touched afterwards (but for the one Release()).
  bool closed_ = false;
  int refs_ = 0;  // JS thread
  napi_env env_ = nullptr;  // the environment it belongs to (Ref / Unref take it)
  Tsfn tsfn_;
};

}  // namespace rtm_binding
