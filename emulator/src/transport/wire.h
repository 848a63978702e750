// The emulator's TCP protocol (docs/PROTOCOL.md): frames of [u32 length][u8 kind][fields], every
// integer little-endian, strings and byte strings as [u32 length][bytes], lists as [u32 count]
// [items]. The reader never trusts a length: every read is checked against what is left, so a
// truncated, oversized or malformed frame makes the reader fail, never read past its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "transport/channel_link.h"
#include "transport/invitation_link.h"
#include "transport/session_link.h"

namespace rtm_emulator {
namespace wire {

constexpr std::uint32_t kMagic = 0x454d5452;  // "RTME"
constexpr std::uint16_t kVersion = 1;
// Far above the largest legal frame (a 32 KB message, 512 members, attribute sets of 32 KB).
constexpr std::uint32_t kMaxFrameBytes = 1u << 20;
constexpr int kHeartbeatMs = 1000;
// Nothing heard for this long: the link is taken as lost (both sides).
constexpr int kSilenceMs = 3500;

enum class Kind : std::uint8_t {
  // Both ways
  Hello = 1,    // client: magic, version, role (Role)
  Welcome = 2,  // server: version, limits JSON
  Ping = 3,
  Pong = 4,
  Error = 5,  // server, then it closes: text

  // Client -> service (requests carrying a u32 id are answered by Response with that id)
  Login = 10,  // id, appId, userId, token
  Logout = 11,
  RenewToken = 12,
  PeerMessage = 13,
  QueryPeers = 14,
  SubscribePeers = 15,
  QuerySubscribed = 16,
  WriteUserAttributes = 17,
  GetUserAttributes = 18,
  Resume = 19,  // id, appId, userId, sessionId, token: the link came back after a loss
  PeerMessageAck = 20,  // deliveryId, taken: whether the client took a PushPeerMessage
  Join = 30,
  Leave = 31,
  ChannelMessage = 32,
  GetMembers = 33,
  WriteChannelAttributes = 34,
  GetChannelAttributes = 35,
  GetMemberCounts = 36,
  InvitationAttach = 50,
  InvitationDetach = 51,
  InvitationOffer = 52,
  InvitationAck = 53,
  InvitationAnswer = 54,
  InvitationAckAnswer = 55,
  InvitationCancel = 56,
  Control = 60,  // id, command, JSON arguments (control connections only)

  // Service -> client
  Response = 100,  // id, then what the request's kind answers
  Kicked = 101,
  TokenExpired = 102,
  PushPeerMessage = 103,
  PushPresence = 104,
  ConnectionLost = 105,
  ConnectionRestored = 106,
  MemberJoined = 110,
  MemberLeft = 111,
  PushChannelMessage = 112,
  AttributesUpdated = 113,
  MemberCountUpdated = 114,
  InvitationOffered = 120,
  InvitationAcknowledged = 121,
  InvitationAnswered = 122,
  InvitationCanceled = 123,
  AcceptAcknowledged = 124,
};

enum class Role : std::uint8_t { Client = 0, Control = 1 };

// Builds one frame. finish() writes the length prefix and returns the bytes.
class Writer {
 public:
  explicit Writer(Kind kind);
  Writer& u8(std::uint8_t v);
  Writer& u16(std::uint16_t v);
  Writer& u32(std::uint32_t v);
  Writer& u64(std::uint64_t v);
  Writer& i32(std::int32_t v) { return u32(static_cast<std::uint32_t>(v)); }
  Writer& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  Writer& str(const std::string& s);
  Writer& strings(const std::vector<std::string>& list);
  Writer& pairs(const AttributeList& list);
  Writer& message(const PeerMessageData& m);
  Writer& statuses(const std::vector<PeerStatusData>& list);
  Writer& channelAttributes(const ChannelAttributeList& list);
  Writer& offer(const InvitationOffer& o);
  std::string finish();

 private:
  std::string buf_;
};

// Reads the fields of one frame body (the bytes after the length). Once a read fails, ok() is
// false and every later read returns a zero value.
class Reader {
 public:
  Reader(const char* data, std::size_t size) : p_(data), end_(data + size) {}
  bool ok() const { return ok_; }
  // True when everything was read and nothing is left over.
  bool done() const { return ok_ && p_ == end_; }
  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  std::string str();
  std::vector<std::string> strings();
  AttributeList pairs();
  PeerMessageData message();
  std::vector<PeerStatusData> statuses();
  ChannelAttributeList channelAttributes();
  InvitationOffer offer();

 private:
  bool take(std::size_t n, const char** at);
  // A list count no larger than the bytes left could hold at minItemBytes each.
  std::uint32_t count(std::size_t minItemBytes);

  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// Whether fields (a frame body after its kind byte) hold exactly the fields of `layout`, one
// letter per field: 1 u8, 2 u16, 4 u32, 8 u64, s str, l strings, p pairs, m message, t statuses,
// a channel attributes, o offer, n counts (u32 n, n x i32), e a result code (i32 in 0..127: every
// code enum of the SDK reaches 101/102, so any such value is a defined value of it), r a
// CONNECTION_CHANGE_REASON (i32 in 0..15). A client checks an answer with it before using it.
bool matches(const char* fields, std::size_t size, const char* layout);

// Splits a byte stream into frames. feed() appends bytes; next() hands out one complete frame
// body at a time. A length of 0 or over kMaxFrameBytes is a protocol error (broken()).
class FrameBuffer {
 public:
  void feed(const char* data, std::size_t size);
  // The next frame's body (kind byte first) into *body; false when none is complete yet.
  bool next(std::string* body);
  bool broken() const { return broken_; }

 private:
  std::string buf_;
  std::size_t pos_ = 0;
  bool broken_ = false;
};

// The first frame a client sends.
std::string helloFrame(Role role);

// "rtm://HOST:PORT" -> host, port; false for any other form (HOST is an IPv4 address or a name).
bool parseTcpUrl(const std::string& url, std::string* host, int* port);

}  // namespace wire
}  // namespace rtm_emulator
