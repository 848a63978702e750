#include "transport/wire.h"

#include <cstring>

namespace rtm_emulator {
namespace wire {

Writer::Writer(Kind kind) {
  buf_.reserve(64);
  buf_.append(4, '\0');  // the length, written by finish()
  buf_.push_back(static_cast<char>(kind));
}

Writer& Writer::u8(std::uint8_t v) {
  buf_.push_back(static_cast<char>(v));
  return *this;
}

Writer& Writer::u16(std::uint16_t v) {
  buf_.push_back(static_cast<char>(v & 0xff));
  buf_.push_back(static_cast<char>(v >> 8));
  return *this;
}

Writer& Writer::u32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return *this;
}

Writer& Writer::u64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return *this;
}

Writer& Writer::str(const std::string& s) {
  u32(static_cast<std::uint32_t>(s.size()));
  buf_.append(s);
  return *this;
}

Writer& Writer::strings(const std::vector<std::string>& list) {
  u32(static_cast<std::uint32_t>(list.size()));
  for (const std::string& s : list) str(s);
  return *this;
}

Writer& Writer::pairs(const AttributeList& list) {
  u32(static_cast<std::uint32_t>(list.size()));
  for (const auto& kv : list) str(kv.first).str(kv.second);
  return *this;
}

Writer& Writer::message(const PeerMessageData& m) {
  return u8(static_cast<std::uint8_t>(m.type)).str(m.text).str(m.raw).i64(m.messageId).i64(m.serverReceivedTs);
}

Writer& Writer::statuses(const std::vector<PeerStatusData>& list) {
  u32(static_cast<std::uint32_t>(list.size()));
  for (const PeerStatusData& s : list) str(s.peerId).u8(static_cast<std::uint8_t>(s.state));
  return *this;
}

Writer& Writer::channelAttributes(const ChannelAttributeList& list) {
  u32(static_cast<std::uint32_t>(list.size()));
  for (const ChannelAttributeData& a : list) str(a.key).str(a.value).str(a.lastUpdateUserId).i64(a.lastUpdateTs);
  return *this;
}

Writer& Writer::offer(const InvitationOffer& o) {
  return u64(o.invitationId).str(o.callerId).u64(o.callerSessionId).str(o.calleeId).str(o.content).str(o.channelId);
}

std::string Writer::finish() {
  const std::uint32_t n = static_cast<std::uint32_t>(buf_.size() - 4);
  for (int i = 0; i < 4; ++i) buf_[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return std::move(buf_);
}

bool Reader::take(std::size_t n, const char** at) {
  if (!ok_ || static_cast<std::size_t>(end_ - p_) < n) {
    ok_ = false;
    return false;
  }
  *at = p_;
  p_ += n;
  return true;
}

std::uint8_t Reader::u8() {
  const char* at = nullptr;
  return take(1, &at) ? static_cast<std::uint8_t>(at[0]) : 0;
}

std::uint16_t Reader::u16() {
  const char* at = nullptr;
  if (!take(2, &at)) return 0;
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(at[0]) | (static_cast<std::uint8_t>(at[1]) << 8));
}

std::uint32_t Reader::u32() {
  const char* at = nullptr;
  if (!take(4, &at)) return 0;
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(at[i])) << (8 * i);
  return v;
}

std::uint64_t Reader::u64() {
  const char* at = nullptr;
  if (!take(8, &at)) return 0;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(at[i])) << (8 * i);
  return v;
}

std::string Reader::str() {
  const std::uint32_t n = u32();
  const char* at = nullptr;
  if (!take(n, &at)) return std::string();
  return std::string(at, n);
}

std::uint32_t Reader::count(std::size_t minItemBytes) {
  const std::uint32_t n = u32();
  if (ok_ && static_cast<std::size_t>(end_ - p_) / minItemBytes < n) ok_ = false;
  return ok_ ? n : 0;
}

std::vector<std::string> Reader::strings() {
  std::vector<std::string> out;
  const std::uint32_t n = count(4);
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && ok_; ++i) out.push_back(str());
  return out;
}

AttributeList Reader::pairs() {
  AttributeList out;
  const std::uint32_t n = count(8);
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && ok_; ++i) {
    std::string k = str();
    std::string v = str();
    out.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

PeerMessageData Reader::message() {
  PeerMessageData m;
  const std::uint8_t type = u8();
  // Only the enum's own values are stored: any other is a malformed frame (and no valid enum).
  if (type == agora::rtm::MESSAGE_TYPE_RAW) {
    m.type = agora::rtm::MESSAGE_TYPE_RAW;
  } else if (type != agora::rtm::MESSAGE_TYPE_TEXT) {
    ok_ = false;
  }
  m.text = str();
  m.raw = str();
  m.messageId = i64();
  m.serverReceivedTs = i64();
  return m;
}

std::vector<PeerStatusData> Reader::statuses() {
  std::vector<PeerStatusData> out;
  const std::uint32_t n = count(5);
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && ok_; ++i) {
    PeerStatusData s;
    s.peerId = str();
    const std::uint8_t state = u8();
    if (state > agora::rtm::PEER_ONLINE_STATE_OFFLINE) {
      ok_ = false;
    } else {
      s.state = static_cast<agora::rtm::PEER_ONLINE_STATE>(state);
    }
    out.push_back(std::move(s));
  }
  return out;
}

ChannelAttributeList Reader::channelAttributes() {
  ChannelAttributeList out;
  const std::uint32_t n = count(20);
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && ok_; ++i) {
    ChannelAttributeData a;
    a.key = str();
    a.value = str();
    a.lastUpdateUserId = str();
    a.lastUpdateTs = i64();
    out.push_back(std::move(a));
  }
  return out;
}

InvitationOffer Reader::offer() {
  InvitationOffer o;
  o.invitationId = u64();
  o.callerId = str();
  o.callerSessionId = u64();
  o.calleeId = str();
  o.content = str();
  o.channelId = str();
  return o;
}

bool matches(const char* fields, std::size_t size, const char* layout) {
  Reader r(fields, size);
  for (const char* f = layout; *f != '\0' && r.ok(); ++f) {
    switch (*f) {
      case '1': r.u8(); break;
      case '2': r.u16(); break;
      case '4': r.u32(); break;
      case '8': r.u64(); break;
      case 's': r.str(); break;
      case 'l': r.strings(); break;
      case 'p': r.pairs(); break;
      case 'm': r.message(); break;
      case 't': r.statuses(); break;
      case 'a': r.channelAttributes(); break;
      case 'o': r.offer(); break;
      case 'n': {
        const std::uint32_t n = r.u32();
        for (std::uint32_t i = 0; i < n && r.ok(); ++i) r.i32();
        break;
      }
      case 'e':
      case 'r': {
        const std::int32_t v = r.i32();
        if (v < 0 || v > (*f == 'e' ? 127 : 15)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return r.done();
}

void FrameBuffer::feed(const char* data, std::size_t size) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > (1u << 16) && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(data, size);
}

bool FrameBuffer::next(std::string* body) {
  if (broken_ || buf_.size() - pos_ < 4) return false;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(buf_[pos_ + i])) << (8 * i);
  if (n == 0 || n > kMaxFrameBytes) {
    broken_ = true;
    return false;
  }
  if (buf_.size() - pos_ - 4 < n) return false;
  body->assign(buf_, pos_ + 4, n);
  pos_ += 4 + n;
  return true;
}

std::string helloFrame(Role role) {
  return Writer(Kind::Hello).u32(kMagic).u16(kVersion).u8(static_cast<std::uint8_t>(role)).finish();
}

bool parseTcpUrl(const std::string& url, std::string* host, int* port) {
  static const char kPrefix[] = "rtm://";
  const std::size_t prefixLength = sizeof(kPrefix) - 1;
  if (url.size() <= prefixLength || url.compare(0, prefixLength, kPrefix) != 0) return false;
  const std::string rest = url.substr(prefixLength);
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() || rest.size() - colon - 1 > 5) return false;
  int p = 0;
  for (std::size_t i = colon + 1; i < rest.size(); ++i) {
    if (rest[i] < '0' || rest[i] > '9') return false;
    p = p * 10 + (rest[i] - '0');
  }
  if (p < 1 || p > 65535) return false;
  const std::string h = rest.substr(0, colon);
  for (char c : h) {
    const bool okChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!okChar) return false;
  }
  *host = h;
  *port = p;
  return true;
}

}  // namespace wire
}  // namespace rtm_emulator
