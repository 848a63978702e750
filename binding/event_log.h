// Compact storage for events waiting for the JS thread. A slow listener can leave millions of
// events queued, so each is kept as a few bytes in large chunks — a tag and a length per
// argument, the strings' bytes inline — rather than as a tree of heap objects (~1 KB each before).
// Chunks come straight from mmap, so a drained backlog's memory goes back to the OS at once.
//
// The JS thread gets a slice of records as they are, copied into one ArrayBuffer, and decodes it
// in TypeScript (lib/event-decoder.ts): no Node-API call per value. The format (little-endian,
// unaligned), shared with that decoder:
//   record := u32 byteLength (of the whole record) · i32 kind · u32 argc · value × argc
//   value  := u8 tag, then by tag: 0 null | 1 false | 2 true | 3 number: f64 | 4 bigint: i64 |
//             5 UTF-8 string: u32 length, bytes | 6 bytes: u32 length, bytes |
//             7 array: u32 count, value × count | 8 ASCII string: u32 length, bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace rtm_binding {

struct Event;

// Writes one record in the format above straight into `out` (cleared first), for the producers
// of the busiest events (a received message), which thus build no Event / Value tree (heap
// allocations on the SDK's callback thread). Gives exactly the bytes EventLog::Encode gives for
// the same values. Any thread; touches no shared state.
class RecordWriter {
 public:
  RecordWriter(std::vector<std::uint8_t>& out, int kind, std::uint32_t argc);
  void Null();
  void Bool(bool value);
  void Number(double value);
  void BigInt(std::int64_t value);
  // A NULL pointer is "" (as Value::String).
  void String(const char* text);
  void Bytes(const std::uint8_t* data, std::size_t length);
  // An array of `count` values: the next `count` values written.
  void Array(std::uint32_t count);
  // Writes the record's length. The record is complete after this.
  void Finish();

 private:
  std::vector<std::uint8_t>& out_;
};

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
  // The bytes of the first events, at most maxEvents of them and maxBytes in all (but at least
  // one event when any is queued); *events is how many.
  std::size_t SliceBytes(std::size_t maxEvents, std::size_t maxBytes, std::size_t* events) const;
  // Removes the first `events` events, copying their records to `out` (SliceBytes' size) unless null.
  void TakeSlice(std::size_t events, std::uint8_t* out);

  bool Empty() const { return count_ == 0; }
  std::size_t Count() const { return count_; }
  // Exchanges the queued events (not the spare chunks).
  void Swap(EventLog& other) noexcept;
  // Hands this log's spare chunks to `other` while it has room for them (the consumer's drained
  // chunks go back to the producers), and lets the rest go.
  void GiveSpareTo(EventLog& other);
  void Clear();

  // Encodes an event into `out` (cleared first). Any thread; touches no shared state.
  static void Encode(const Event& event, std::vector<std::uint8_t>& out);

 private:
  void Recycle(EventChunk chunk);
  static std::uint32_t RecordLength(const EventChunk& chunk);

  std::deque<EventChunk> chunks_;
  // Drained chunks kept for reuse (each with at most kSpareResident bytes resident), so steady
  // traffic maps and unmaps nothing: every wake-up of the JS thread moves the producers' current
  // chunk to the consumer, and the producers go on in a spare. A few, not one: with one, about
  // one wake-up in six unmapped a chunk (a TLB shootdown on every core) and mapped another.
  static constexpr std::size_t kMaxSpares = 4;
  EventChunk spares_[kMaxSpares];
  std::size_t spare_count_ = 0;
  std::size_t count_ = 0;
};

}  // namespace rtm_binding
