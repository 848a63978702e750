// KeyedWindow<T>: values under increasing integer keys (request keys, handed out one by one),
// most of them removed soon and roughly in key order. The recent keys live in a ring indexed by
// key - base (no hashing, no allocation per entry). An oldest entry that Evict says may leave (a
// request waiting for its timeout) moves to a hash map once kMaxWindow newer keys arrive, so one
// slow entry does not hold the window open; one that may not (a request still queued to be sent,
// which leaves in order soon) keeps the window as long as the queue behind it.
// Not thread-safe: its owner's lock guards it.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>

#include "common/chunk_queue.h"

namespace rtm_emulator {

struct EvictAny {
  template <typename T>
  bool operator()(const T&) const { return true; }
};

template <typename T, typename Evict = EvictAny>
class KeyedWindow {
 public:
  static constexpr std::size_t kMaxWindow = 1024;

  // Adds a default value under `key`, which must be greater than every key added before.
  T& add(std::uint64_t key) {
    if (window_.empty()) base_ = key;
    while (base_ + window_.size() < key) window_.pushDefault();  // skipped keys: unused slots
    Slot& slot = window_.pushDefault();
    slot.used = true;
    ++size_;
    T& value = slot.value;  // stays where it is: dropping front slots moves no other slot
    if (window_.size() > kMaxWindow && Evict()(window_.front().value)) {
      // The oldest entry leaves the window for the map (window_.front() is used: trimmed).
      old_.emplace(base_, std::move(window_.front().value));
      window_.dropFront();
      ++base_;
      trim();  // stops at the new slot at the latest
    }
    return value;
  }

  T* find(std::uint64_t key) {
    if (key >= base_ && key - base_ < window_.size()) {
      Slot& slot = window_[static_cast<std::size_t>(key - base_)];
      return slot.used ? &slot.value : nullptr;
    }
    auto it = old_.find(key);
    return it == old_.end() ? nullptr : &it->second;
  }

  // Removes the entry (its value is destroyed); false when there was none.
  bool erase(std::uint64_t key) {
    if (key >= base_ && key - base_ < window_.size()) {
      Slot& slot = window_[static_cast<std::size_t>(key - base_)];
      if (!slot.used) return false;
      slot.used = false;
      slot.value = T();
      --size_;
      trim();
      return true;
    }
    if (old_.erase(key) == 0) return false;
    --size_;
    return true;
  }

  // Calls f(key, value) for every entry, older keys first.
  template <typename F>
  void forEach(F&& f) {
    for (auto& entry : old_) f(entry.first, entry.second);  // all older than the window
    for (std::size_t i = 0; i < window_.size(); ++i) {
      if (window_[i].used) f(base_ + i, window_[i].value);
    }
  }

  void clear() {
    window_.clear();
    old_.clear();
    size_ = 0;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Slot {
    bool used = false;
    T value{};
  };
  // Drops unused slots at the front: the window starts at the oldest entry still in it.
  void trim() {
    while (!window_.empty() && !window_.front().used) {
      window_.dropFront();
      ++base_;
    }
    if (window_.empty()) window_.release();
  }

  ChunkQueue<Slot> window_;  // (a backlog of a million pending requests is never moved to grow)
  std::uint64_t base_ = 0;  // the key of window_[0]
  std::unordered_map<std::uint64_t, T> old_;
  std::size_t size_ = 0;
};

}  // namespace rtm_emulator
