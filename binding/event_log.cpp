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

enum Tag : std::uint8_t { kNull, kFalse, kTrue, kNumber, kBigInt, kString, kBytes, kArray };

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
      PutBlob(out, kString, v.text.data(), v.text.size());
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

class Reader {
 public:
  explicit Reader(const std::uint8_t* p) : p_(p) {}
  const std::uint8_t* position() const { return p_; }

  template <typename T>
  T Get() {
    T value;
    std::memcpy(&value, p_, sizeof(T));
    p_ += sizeof(T);
    return value;
  }

  Napi::Value Next(Napi::Env env) {
    switch (static_cast<Tag>(*p_++)) {
      case kNull:
        return env.Null();
      case kFalse:
        return Napi::Boolean::New(env, false);
      case kTrue:
        return Napi::Boolean::New(env, true);
      case kNumber:
        return Napi::Number::New(env, Get<double>());
      case kBigInt:
        return Napi::BigInt::New(env, Get<std::int64_t>());
      case kString: {
        const auto length = Get<std::uint32_t>();
        const auto* text = reinterpret_cast<const char*>(p_);
        p_ += length;
        return Napi::String::New(env, text, length);
      }
      case kBytes: {
        static const std::uint8_t kNothing = 0;  // never hand memcpy a null pointer
        const auto length = Get<std::uint32_t>();
        const std::uint8_t* bytes = length > 0 ? p_ : &kNothing;
        p_ += length;
        return Napi::Buffer<std::uint8_t>::Copy(env, bytes, length);
      }
      case kArray: {
        const auto count = Get<std::uint32_t>();
        Napi::Array out = Napi::Array::New(env, count);
        for (std::uint32_t i = 0; i < count; ++i) out.Set(i, Next(env));
        return out;
      }
    }
    return env.Undefined();
  }

 private:
  const std::uint8_t* p_;
};

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

void EventLog::Encode(const Event& event, std::vector<std::uint8_t>& out) {
  out.clear();
  Put<std::int32_t>(out, event.kind);
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(event.args.size()));
  for (const Value& arg : event.args) EncodeValue(arg, out);
}

bool EventLog::Append(const std::vector<std::uint8_t>& record) {
  if (chunks_.empty() || chunks_.back().capacity - chunks_.back().used < record.size()) {
    EventChunk chunk;
    if (spare_.data != nullptr && record.size() <= spare_.capacity) {
      chunk = spare_;
      spare_ = EventChunk{};
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

Napi::Value EventLog::TakeJs(Napi::Env env) {
  EventChunk& front = chunks_.front();
  Reader reader(front.data + front.read);
  const auto kind = reader.Get<std::int32_t>();
  const auto argc = reader.Get<std::uint32_t>();
  Napi::Array item = Napi::Array::New(env, argc + 1);
  item.Set(0u, Napi::Number::New(env, kind));
  for (std::uint32_t a = 0; a < argc; ++a) item.Set(a + 1, reader.Next(env));
  front.read = static_cast<std::size_t>(reader.position() - front.data);
  --count_;
  if (front.read == front.used) {
    // Drained. The chunk being written stays only if something may still go into it.
    EventChunk done = front;
    chunks_.pop_front();
    Recycle(done);
  }
  return item;
}

void EventLog::Recycle(EventChunk chunk) {
  if (spare_.data != nullptr || chunk.capacity != kChunkBytes) {
    UnmapChunk(chunk);
    return;
  }
  // Keep it for the next burst, minus the pages a burst made resident beyond the first few.
  if (chunk.used > kSpareResident) madvise(chunk.data + kSpareResident, chunk.capacity - kSpareResident, MADV_DONTNEED);
  chunk.used = 0;
  chunk.read = 0;
  spare_ = chunk;
}

void EventLog::Swap(EventLog& other) noexcept {
  chunks_.swap(other.chunks_);
  std::swap(count_, other.count_);
}

void EventLog::GiveSpareTo(EventLog& other) {
  if (spare_.data == nullptr) return;
  if (other.spare_.data == nullptr) {
    other.spare_ = spare_;
    spare_ = EventChunk{};
  } else {
    UnmapChunk(spare_);
  }
}

void EventLog::Clear() {
  for (EventChunk& chunk : chunks_) UnmapChunk(chunk);
  chunks_.clear();
  UnmapChunk(spare_);
  count_ = 0;
}

}  // namespace rtm_binding
