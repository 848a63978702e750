// Ring<T>: a FIFO of movable values in one power-of-two buffer. It allocates nothing until its
// first push, grows by doubling, and gives a grown buffer back (release()) once empty, so a flood
// does not leave every client holding a big buffer. Not thread-safe: its owner's lock guards it.
// What a strand queues its tasks in, and what a client keeps its outgoing and pending requests in.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace rtm_emulator {

// kKeep: the largest buffer kept once empty (a small buffer stays: refilling it would allocate
// again); a queue refilled in bursts of a known size keeps one that size.
template <typename T, std::size_t kKeep = 64>
class Ring {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push(T&& value) {
    if (size_ == cap_) grow();
    buf_[(head_ + size_) & (cap_ - 1)] = std::move(value);
    ++size_;
  }
  // Adds a value at the front (it is popped next).
  void pushFront(T&& value) {
    if (size_ == cap_) grow();
    head_ = (head_ + cap_ - 1) & (cap_ - 1);
    buf_[head_] = std::move(value);
    ++size_;
  }
  // Adds a default value at the back and returns it.
  T& pushDefault() {
    if (size_ == cap_) grow();
    T& slot = buf_[(head_ + size_) & (cap_ - 1)];
    ++size_;
    return slot;
  }
  T pop() {
    T value = std::move(buf_[head_]);
    dropFront();
    return value;
  }
  T& front() { return buf_[head_]; }
  T& operator[](std::size_t i) { return buf_[(head_ + i) & (cap_ - 1)]; }  // i < size()
  // Drops the front value (what its slot held is released now, not when the slot is reused).
  void dropFront() {
    buf_[head_] = T();
    head_ = (head_ + 1) & (cap_ - 1);
    --size_;
  }
  void clear() {
    while (size_ > 0) dropFront();
    release();
  }
  // Gives a grown buffer back; call when empty.
  void release() {
    if (size_ == 0 && cap_ > kKeep) {
      buf_.reset();
      cap_ = head_ = 0;
    }
  }
  void swap(Ring& other) noexcept {
    std::swap(buf_, other.buf_);
    std::swap(cap_, other.cap_);
    std::swap(head_, other.head_);
    std::swap(size_, other.size_);
  }

 private:
  void grow() {
    const std::size_t cap = cap_ == 0 ? 4 : cap_ * 2;
    std::unique_ptr<T[]> buf(new T[cap]);
    for (std::size_t i = 0; i < size_; ++i) buf[i] = std::move(buf_[(head_ + i) & (cap_ - 1)]);
    buf_ = std::move(buf);
    cap_ = cap;
    head_ = 0;
  }
  std::unique_ptr<T[]> buf_;
  std::size_t cap_ = 0, head_ = 0, size_ = 0;
};

}  // namespace rtm_emulator
