#include "client/callback_thread.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

namespace rtm_emulator {

struct CallbackThread::State {
  using Clock = std::chrono::steady_clock;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Task> ready;
  // Delayed tasks by due time; the sequence number keeps equal due times in posting order.
  std::map<std::pair<Clock::time_point, std::uint64_t>, Task> timers;
  std::uint64_t nextSeq = 0;
  std::atomic<bool> stopping{false};
};

namespace {
thread_local const void* t_currentState = nullptr;
thread_local const std::atomic<bool>* t_currentStopping = nullptr;
}  // namespace

CallbackThread::~CallbackThread() { stop(); }

bool CallbackThread::start() {
  if (state_) return true;
  try {
    auto state = std::make_shared<State>();
    thread_ = std::thread(&CallbackThread::run, state);
    state_ = std::move(state);
    return true;
  } catch (const std::exception&) {
    // The OS refused a thread (a thread cap, an address-space limit) or memory ran out.
    return false;
  }
}

void CallbackThread::post(Task task) {
  if (!state_) return;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopping.load()) return;
    state_->ready.push_back(std::move(task));
  }
  state_->cv.notify_one();
}

void CallbackThread::postAfter(std::chrono::milliseconds delay, Task task) {
  if (!state_) return;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopping.load()) return;
    const auto due = State::Clock::now() + delay;
    state_->timers.emplace(std::make_pair(due, state_->nextSeq++), std::move(task));
  }
  state_->cv.notify_one();
}

void CallbackThread::stop() {
  if (!state_) return;
  std::deque<Task> dropped;
  std::map<std::pair<State::Clock::time_point, std::uint64_t>, Task> droppedTimers;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping.store(true);
    dropped.swap(state_->ready);
    droppedTimers.swap(state_->timers);
  }
  state_->cv.notify_all();
  // Destroy the dropped tasks here, outside the lock (their captures may own anything).
  dropped.clear();
  droppedTimers.clear();
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  state_.reset();
}

bool CallbackThread::stopRequestedOnCurrentThread() {
  return t_currentStopping != nullptr && t_currentStopping->load();
}

bool CallbackThread::isCurrent() const { return state_ && t_currentState == state_.get(); }

void CallbackThread::run(std::shared_ptr<State> state) {
  t_currentState = state.get();
  t_currentStopping = &state->stopping;
  std::unique_lock<std::mutex> lock(state->mu);
  for (;;) {
    if (state->stopping.load()) break;
    // Move due timers to the end of the ready queue, earliest first.
    const auto now = State::Clock::now();
    while (!state->timers.empty() && state->timers.begin()->first.first <= now) {
      state->ready.push_back(std::move(state->timers.begin()->second));
      state->timers.erase(state->timers.begin());
    }
    if (state->ready.empty()) {
      if (state->timers.empty()) {
        state->cv.wait(lock);
      } else {
        // Copy the deadline: wait_until keeps using it, and stop() may free the timer's node.
        const State::Clock::time_point due = state->timers.begin()->first.first;
        state->cv.wait_until(lock, due);
      }
      continue;
    }
    Task task = std::move(state->ready.front());
    state->ready.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // destroy captures outside the lock
    lock.lock();
  }
  lock.unlock();
  t_currentState = nullptr;
  t_currentStopping = nullptr;
}

}  // namespace rtm_emulator
