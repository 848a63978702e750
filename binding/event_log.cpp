#include "event_log.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "event_queue.h"

namespace rtm_binding {
namespace {

// 256 KiB: above glibc's mmap threshold, a few thousand typical events, one syscall each way.
constexpr std::size_t kChunkBytes = 256 * 1024;
// A reused chunk keeps at most this much of its memory resident.
constexpr std::size_t kSpareResident = 16 * 1024;

// The wire format of one record (event_log.h); lib/event-decoder.ts reads the same.
enum Tag : std::uint8_t { kNull, kFalse, kTrue, kNumber, kBigInt, kString, kBytes, kArray, kAscii };

template <typename T>
void Put(std::vector<std::uint8_t>& out, T value) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&value);
  out.insert(out.end(), p, p + sizeof(T));
}

void PutBlob(std::vector<std::uint8_t>& out, Tag tag, const void* data, std::size_t length) {
  out.push_back(tag);
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(length));
  const auto* p = static_cast<const std::uint8_t*>(data);
  if (length > 0) out.insert(out.end(), p, p + length);
}

bool IsAscii(const char* p, std::size_t n) {
  // Eight bytes at a time: no byte of an ASCII text has its top bit set.
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) return false;
  }
  for (; i < n; ++i) {
    if ((static_cast<unsigned char>(p[i]) & 0x80) != 0) return false;
  }
  return true;
}

void PutString(std::vector<std::uint8_t>& out, const char* text, std::size_t length) {
  // ASCII text (most ids and messages) lets the decoder make a one-byte string directly.
  PutBlob(out, IsAscii(text, length) ? kAscii : kString, text, length);
}

void EncodeValue(const Value& v, std::vector<std::uint8_t>& out) {
  switch (v.type) {
    case Value::Type::Null:
      out.push_back(kNull);
      break;
    case Value::Type::Bool:
      out.push_back(v.boolean ? kTrue : kFalse);
      break;
    case Value::Type::Number:
      out.push_back(kNumber);
      Put<double>(out, v.number);
      break;
    case Value::Type::BigInt:
      out.push_back(kBigInt);
      Put<std::int64_t>(out, v.bigint);
      break;
    case Value::Type::String:
      PutString(out, v.text.data(), v.text.size());
      break;
    case Value::Type::Bytes:
      PutBlob(out, kBytes, v.bytes.data(), v.bytes.size());
      break;
    case Value::Type::Array:
      out.push_back(kArray);
      Put<std::uint32_t>(out, static_cast<std::uint32_t>(v.items.size()));
      for (const Value& item : v.items) EncodeValue(item, out);
      break;
  }
}

bool MapChunk(std::size_t bytes, EventChunk* chunk) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return false;
  *chunk = EventChunk{static_cast<std::uint8_t*>(p), bytes, 0, 0};
  return true;
}

void UnmapChunk(EventChunk& chunk) {
  if (chunk.data != nullptr) munmap(chunk.data, chunk.capacity);
  chunk = EventChunk{};
}

}  // namespace

RecordWriter::RecordWriter(std::vector<std::uint8_t>& out, int kind, std::uint32_t argc) : out_(out) {
  // The header: the record's length (written by Finish), the kind, the argument count.
  const std::int32_t kind32 = kind;
  out_.resize(12);
  std::memcpy(out_.data() + 4, &kind32, 4);
  std::memcpy(out_.data() + 8, &argc, 4);
}

void RecordWriter::Null() { out_.push_back(kNull); }

void RecordWriter::Bool(bool value) { out_.push_back(value ? kTrue : kFalse); }

void RecordWriter::Number(double value) {
  out_.push_back(kNumber);
  Put<double>(out_, value);
}

void RecordWriter::BigInt(std::int64_t value) {
  out_.push_back(kBigInt);
  Put<std::int64_t>(out_, value);
}

void RecordWriter::String(const char* text) {
  if (text == nullptr) {
    PutString(out_, "", 0);
    return;
  }
  PutString(out_, text, std::strlen(text));
}

void RecordWriter::Bytes(const std::uint8_t* data, std::size_t length) { PutBlob(out_, kBytes, data, length); }

void RecordWriter::Array(std::uint32_t count) {
  out_.push_back(kArray);
  Put<std::uint32_t>(out_, count);
}

void RecordWriter::Finish() {
  const auto length = static_cast<std::uint32_t>(out_.size());
  std::memcpy(out_.data(), &length, sizeof length);
}

void EventLog::Encode(const Event& event, std::vector<std::uint8_t>& out) {
  out.clear();
  Put<std::uint32_t>(out, 0);  // the record's length, written below
  Put<std::int32_t>(out, event.kind);
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(event.args.size()));
  for (const Value& arg : event.args) EncodeValue(arg, out);
  const auto length = static_cast<std::uint32_t>(out.size());
  std::memcpy(out.data(), &length, sizeof length);
}

bool EventLog::Append(const std::vector<std::uint8_t>& record) {
  if (chunks_.empty() || chunks_.back().capacity - chunks_.back().used < record.size()) {
    EventChunk chunk;
    if (spare_count_ > 0 && record.size() <= kChunkBytes) {
      chunk = spares_[--spare_count_];
      spares_[spare_count_] = EventChunk{};
    } else if (!MapChunk(std::max(kChunkBytes, record.size()), &chunk)) {
      return false;
    }
    chunks_.push_back(chunk);
  }
  EventChunk& back = chunks_.back();
  std::memcpy(back.data + back.used, record.data(), record.size());
  back.used += record.size();
  ++count_;
  return true;
}

std::uint32_t EventLog::RecordLength(const EventChunk& chunk) {
  std::uint32_t length;
  std::memcpy(&length, chunk.data + chunk.read, sizeof length);
  return length;
}

std::size_t EventLog::SliceBytes(std::size_t maxEvents, std::size_t maxBytes, std::size_t* events) const {
  std::size_t n = 0;
  std::size_t bytes = 0;
  for (const EventChunk& chunk : chunks_) {
    std::size_t at = chunk.read;
    while (at < chunk.used && n < maxEvents) {
      std::uint32_t length;
      std::memcpy(&length, chunk.data + at, sizeof length);
      // At least one event per slice, however large.
      if (n > 0 && bytes + length > maxBytes) break;
      bytes += length;
      at += length;
      ++n;
    }
    if (at < chunk.used) break;
  }
  *events = n;
  return bytes;
}

void EventLog::TakeSlice(std::size_t events, std::uint8_t* out) {
  while (events > 0 && !chunks_.empty()) {
    EventChunk& front = chunks_.front();
    const std::size_t from = front.read;
    while (events > 0 && front.read < front.used) {
      front.read += RecordLength(front);
      --events;
      --count_;
    }
    if (out != nullptr) {
      std::memcpy(out, front.data + from, front.read - from);
      out += front.read - from;
    }
    if (front.read == front.used) {
      // Drained. The chunk being written stays only if something may still go into it.
      EventChunk done = front;
      chunks_.pop_front();
      Recycle(done);
    }
  }
}

void EventLog::Recycle(EventChunk chunk) {
  if (spare_count_ == kMaxSpares || chunk.capacity != kChunkBytes) {
    UnmapChunk(chunk);
    return;
  }
  // Keep it for the next burst, minus the pages a burst made resident beyond the first few.
  if (chunk.used > kSpareResident) madvise(chunk.data + kSpareResident, chunk.capacity - kSpareResident, MADV_DONTNEED);
  chunk.used = 0;
  chunk.read = 0;
  spares_[spare_count_++] = chunk;
}

void EventLog::Swap(EventLog& other) noexcept {
  chunks_.swap(other.chunks_);
  std::swap(count_, other.count_);
}

void EventLog::GiveSpareTo(EventLog& other) {
  while (spare_count_ > 0) {
    EventChunk& chunk = spares_[--spare_count_];
    if (other.spare_count_ < kMaxSpares) {
      other.spares_[other.spare_count_++] = chunk;
    } else {
      UnmapChunk(chunk);
    }
    chunk = EventChunk{};
  }
}

void EventLog::Clear() {
  for (EventChunk& chunk : chunks_) UnmapChunk(chunk);
  chunks_.clear();
  while (spare_count_ > 0) UnmapChunk(spares_[--spare_count_]);
  count_ = 0;
}

}  // namespace rtm_binding
