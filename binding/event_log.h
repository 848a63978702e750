// Compact storage for events waiting for the JS thread. A slow listener can leave millions of
// events queued, so each is kept as a few bytes in large chunks — a tag and a length per
// argument, the strings' bytes inline — rather than as a tree of heap objects (~1 KB each before).
// Chunks come straight from mmap, so a drained backlog's memory goes back to the OS at once.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace rtm_binding {

struct Event;

// One mmap'd block of encoded events, written at `used`, read at `read`.
struct EventChunk {
  std::uint8_t* data = nullptr;
  std::size_t capacity = 0;
  std::size_t used = 0;
  std::size_t read = 0;
};

// A FIFO of encoded events. Not synchronized: EventQueue guards it.
class EventLog {
 public:
  EventLog() = default;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  ~EventLog() { Clear(); }

  // Appends one encoded event (from Encode). False when no memory could be had for it.
  bool Append(const std::vector<std::uint8_t>& record);
  // JS thread: the next event as `[kind, ...args]`. Call only while !Empty().
  Napi::Value TakeJs(Napi::Env env);

  bool Empty() const { return count_ == 0; }
  std::size_t Count() const { return count_; }
  // Exchanges the queued events (not the spare chunks).
  void Swap(EventLog& other) noexcept;
  // Hands this log's spare chunk to `other` if it has none (the consumer's drained chunk goes
  // back to the producers), else lets it go.
  void GiveSpareTo(EventLog& other);
  void Clear();

  // Encodes an event into `out` (cleared first). Any thread; touches no shared state.
  static void Encode(const Event& event, std::vector<std::uint8_t>& out);

 private:
  void Recycle(EventChunk chunk);

  std::deque<EventChunk> chunks_;
  EventChunk spare_;  // the last drained chunk, kept for reuse so steady traffic maps nothing
  std::size_t count_ = 0;
};

}  // namespace rtm_binding
