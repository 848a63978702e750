// ChunkQueue<T, kChunk>: a FIFO in linked chunks of kChunk values. Unlike Ring it never moves a
// value to grow: a backlog of a million requests costs one allocation per kChunk pushes and no
// copy of what is queued (a doubling Ring constructs, moves and destroys every slot again at
// each growth, and touches all of its fresh pages at once). Front access is O(1); operator[](i)
// walks i / kChunk links (for looking a little ahead of the front). Like Ring: nothing allocated
// until the first push, release() gives the chunks back once empty. Not thread-safe: its owner's
// lock guards it. What a client's outgoing requests wait in.
#pragma once

#include <cstddef>
#include <utility>

namespace rtm_emulator {

template <typename T, std::size_t kChunk = 32>
class ChunkQueue {
 public:
  ChunkQueue() = default;
  ChunkQueue(const ChunkQueue&) = delete;
  ChunkQueue& operator=(const ChunkQueue&) = delete;
  ~ChunkQueue() {
    freeChunks(head_);
    delete spare_;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push(T&& value) { pushDefault() = std::move(value); }
  // Adds a default value at the back and returns it.
  T& pushDefault() {
    if (tail_ == nullptr || tailIndex_ == kChunk) addChunk();
    ++size_;
    return tail_->items[tailIndex_++];
  }
  T& front() { return head_->items[headIndex_]; }
  T& operator[](std::size_t i) {  // i < size()
    Chunk* c = head_;
    std::size_t k = headIndex_ + i;
    while (k >= kChunk) {
      k -= kChunk;
      c = c->next;
    }
    return c->items[k];
  }
  // Drops the front value (what its slot held is released now).
  void dropFront() {
    head_->items[headIndex_] = T();
    --size_;
    if (++headIndex_ == kChunk || size_ == 0) {
      if (head_ == tail_) {  // empty now: the chunk stays, from its start
        headIndex_ = tailIndex_ = 0;
        return;
      }
      Chunk* done = head_;
      head_ = head_->next;
      headIndex_ = 0;
      recycle(done);
    }
  }
  T pop() {
    T value = std::move(front());
    dropFront();
    return value;
  }
  void clear() {
    while (size_ > 0) dropFront();
    release();
  }
  // Gives the chunks back; call when empty.
  void release() {
    if (size_ != 0) return;
    freeChunks(head_);
    delete spare_;
    head_ = tail_ = spare_ = nullptr;
    headIndex_ = tailIndex_ = 0;
  }
  void swap(ChunkQueue& other) noexcept {
    std::swap(head_, other.head_);
    std::swap(tail_, other.tail_);
    std::swap(spare_, other.spare_);
    std::swap(headIndex_, other.headIndex_);
    std::swap(tailIndex_, other.tailIndex_);
    std::swap(size_, other.size_);
  }

 private:
  struct Chunk {
    T items[kChunk];
    Chunk* next = nullptr;
  };
  void addChunk() {
    Chunk* c = spare_ != nullptr ? spare_ : new Chunk();
    spare_ = nullptr;
    c->next = nullptr;
    if (tail_ == nullptr) {
      head_ = tail_ = c;
      headIndex_ = 0;
    } else {
      tail_->next = c;
      tail_ = c;
    }
    tailIndex_ = 0;
  }
  void recycle(Chunk* c) {  // its slots hold default values again (dropFront reset them)
    if (spare_ == nullptr) {
      spare_ = c;
    } else {
      delete c;
    }
  }
  static void freeChunks(Chunk* c) {
    while (c != nullptr) {
      Chunk* next = c->next;
      delete c;
      c = next;
    }
  }
  Chunk* head_ = nullptr;
  Chunk* tail_ = nullptr;
  Chunk* spare_ = nullptr;  // one emptied chunk kept for the next one needed (no malloc churn)
  std::size_t headIndex_ = 0, tailIndex_ = 0, size_ = 0;
};

}  // namespace rtm_emulator
