// The thread that runs one client's callbacks. The SDK calls handlers on a thread of its own,
// never on the caller's, in the order the events happened: tasks run one at a time, FIFO;
// a delayed task joins the end of the queue when it falls due.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace rtm_emulator {

class CallbackThread {
 public:
  using Task = std::function<void()>;

  CallbackThread() = default;
  CallbackThread(const CallbackThread&) = delete;
  CallbackThread& operator=(const CallbackThread&) = delete;
  ~CallbackThread();  // stop()s if still running

  // Starts the thread (once; later calls do nothing). False when the OS gives no thread.
  bool start();
  bool started() const { return state_ != nullptr; }

  // Queues a task; dropped when the thread was never started or is stopped.
  void post(Task task);
  // Queues a task when `delay` has passed.
  void postAfter(std::chrono::milliseconds delay, Task task);

  // Drops every queued task and ends the thread. Called from another thread: waits for the
  // task in progress and joins. Called from a task on this thread: detaches; the thread ends as
  // soon as that task returns and touches nothing of this object afterwards.
  void stop();

  // True on a CallbackThread whose stop() has been called (only meaningful inside a task):
  // lets a task that runs several handlers stop early when one of them released the owner.
  static bool stopRequestedOnCurrentThread();
  // True when called from this object's thread.
  bool isCurrent() const;

 private:
  struct State;
  static void run(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace rtm_emulator
