// ChunkQueue<T, kChunk>: a FIFO in chunks of kChunk values, found through a ring of chunk
// pointers. Unlike Ring it never moves a value to grow: a backlog of a million requests costs one
// allocation per kChunk pushes and no copy of what is queued (a doubling Ring constructs, moves
// and destroys every slot again at each growth, and touches all of its fresh pages at once); only
// the ring of pointers grows. Access by index is O(1). Like Ring: nothing allocated until the
// first push, release() gives the chunks back once empty. Not thread-safe: its owner's lock
// guards it. What a client's outgoing and pending requests wait in.
#pragma once

#include <cstddef>
#include <utility>

#include "common/ring.h"

namespace rtm_emulator {

template <typename T, std::size_t kChunk = 32>
class ChunkQueue {
 public:
  ChunkQueue() = default;
  ChunkQueue(const ChunkQueue&) = delete;
  ChunkQueue& operator=(const ChunkQueue&) = delete;
  ~ChunkQueue() {
    freeChunks();
    delete spare_;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push(T&& value) { pushDefault() = std::move(value); }
  // Adds a default value at the back and returns it.
  T& pushDefault() {
    const std::size_t pos = headIndex_ + size_;
    if (pos / kChunk == chunks_.size()) {
      Chunk* c = spare_ != nullptr ? spare_ : new Chunk();
      spare_ = nullptr;
      chunks_.push(std::move(c));
    }
    ++size_;
    return chunks_[pos / kChunk]->items[pos % kChunk];
  }
  T& front() { return chunks_.front()->items[headIndex_]; }
  T& operator[](std::size_t i) {  // i < size()
    const std::size_t pos = headIndex_ + i;
    return chunks_[pos / kChunk]->items[pos % kChunk];
  }
  // Drops the front value (what its slot held is released now).
  void dropFront() {
    chunks_.front()->items[headIndex_] = T();
    --size_;
    if (++headIndex_ == kChunk) {
      headIndex_ = 0;
      recycle(chunks_.pop());
    } else if (size_ == 0) {
      headIndex_ = 0;  // empty: the one chunk left stays, from its start
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
    freeChunks();
    delete spare_;
    spare_ = nullptr;
    headIndex_ = 0;
  }
  void swap(ChunkQueue& other) noexcept {
    chunks_.swap(other.chunks_);
    std::swap(spare_, other.spare_);
    std::swap(headIndex_, other.headIndex_);
    std::swap(size_, other.size_);
  }

 private:
  struct Chunk {
    T items[kChunk];
  };
  void recycle(Chunk* c) {  // its slots hold default values again (dropFront reset them)
    if (spare_ == nullptr) {
      spare_ = c;
    } else {
      delete c;
    }
  }
  void freeChunks() {
    while (!chunks_.empty()) delete chunks_.pop();
    chunks_.release();
  }
  Ring<Chunk*> chunks_;     // the chunks in order (only pointers move when it grows)
  Chunk* spare_ = nullptr;  // one emptied chunk kept for the next one needed (no malloc churn)
  std::size_t headIndex_ = 0, size_ = 0;  // the front's slot in chunks_[0]; values queued
};

}  // namespace rtm_emulator
