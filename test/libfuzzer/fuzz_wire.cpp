// libFuzzer target: the frame decoder of the emulator's TCP protocol (emulator/src/transport/
// wire.cpp, docs/PROTOCOL.md), which both the service and every client run on bytes from the
// network.
//
// Input: any bytes, taken as a TCP stream, fed to a FrameBuffer in chunks whose sizes come from
// the input itself. Checks, besides crash/ASan/UBSan/leak freedom:
//   - framing does not depend on how the stream is chunked: whole and byte-wise feeding give the
//     same frames and the same broken() verdict; no frame is empty or over kMaxFrameBytes;
//   - every frame body is decoded with the field layout of its kind (the layouts of the
//     protocol, one per kind); a Reader never reads past the body, and a failed read stays
//     failed;
//   - wire::matches (what a client checks an answer with) agrees with that decode;
//   - a body that decodes completely (Reader::done) re-encodes with Writer to exactly the same
//     bytes: encoder and decoder agree on every field type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "transport/wire.h"

using namespace rtm_emulator;
using wire::Kind;
using wire::Reader;
using wire::Writer;

namespace {

// One letter per field: 1 u8, 2 u16, 4 u32, 8 u64, s str, l strings, p pairs, m message,
// t statuses, a channel attributes, o offer, n counts (u32 n, n x i32): wire::matches' letters.
const char* layoutOf(std::uint8_t kind) {
  switch (static_cast<Kind>(kind)) {
    case Kind::Hello: return "421";
    case Kind::Welcome: return "2s";
    case Kind::Ping: case Kind::Pong: case Kind::TokenExpired: case Kind::ConnectionLost: return "";
    case Kind::Error: return "s";
    case Kind::Login: return "4sss";
    case Kind::Logout: return "4s8";
    case Kind::RenewToken: return "4s8s";
    case Kind::PeerMessage: return "4s8sm1";
    case Kind::QueryPeers: return "4s8l";
    case Kind::SubscribePeers: return "4s8l1";
    case Kind::QuerySubscribed: return "4s8";
    case Kind::WriteUserAttributes: return "4s81p";
    case Kind::GetUserAttributes: return "4s8s1l";
    case Kind::Resume: return "4ss8s";
    case Kind::PeerMessageAck: return "41";
    case Kind::Join: case Kind::Leave: case Kind::GetMembers: return "4s8s";
    case Kind::ChannelMessage: return "4s8sm";
    case Kind::WriteChannelAttributes: return "4s8s1p1";
    case Kind::GetChannelAttributes: return "4s8s1l";
    case Kind::GetMemberCounts: return "4s8l";
    case Kind::InvitationAttach: case Kind::InvitationDetach: return "s8";
    case Kind::InvitationOffer: return "4o";
    case Kind::InvitationAck: return "s8s88";
    case Kind::InvitationAnswer: return "s8s881s";
    case Kind::InvitationAckAnswer: case Kind::InvitationCancel: return "ss88";
    case Kind::Control: return "4ss";
    case Kind::Kicked: return "4";
    case Kind::PushPeerMessage: return "4sm1";
    case Kind::PushPresence: return "t";
    case Kind::ConnectionRestored: return "8";
    case Kind::MemberJoined: case Kind::MemberLeft: return "ss";
    case Kind::PushChannelMessage: return "ssm";
    case Kind::AttributesUpdated: return "sa";
    case Kind::MemberCountUpdated: return "s4";
    case Kind::InvitationOffered: return "8o";
    case Kind::InvitationAcknowledged: return "888";
    case Kind::InvitationAnswered: return "881s8";
    case Kind::InvitationCanceled: case Kind::AcceptAcknowledged: return "8s8";
    case Kind::Response: return "4n";  // one of the answer layouts, read as counts
    default: return nullptr;
  }
}

// Decodes body (kind byte first) with its layout and, when it decodes completely, re-encodes it.
void roundTrip(const std::string& body) {
  const std::uint8_t kind = static_cast<std::uint8_t>(body[0]);
  const char* layout = layoutOf(kind);
  if (layout == nullptr) return;
  Reader r(body.data() + 1, body.size() - 1);
  Writer w(static_cast<Kind>(kind));
  for (const char* f = layout; *f != '\0'; ++f) {
    switch (*f) {
      case '1': w.u8(r.u8()); break;
      case '2': w.u16(r.u16()); break;
      case '4': w.u32(r.u32()); break;
      case '8': w.u64(r.u64()); break;
      case 's': w.str(r.str()); break;
      case 'l': w.strings(r.strings()); break;
      case 'p': w.pairs(r.pairs()); break;
      case 'm': w.message(r.message()); break;
      case 't': w.statuses(r.statuses()); break;
      case 'a': w.channelAttributes(r.channelAttributes()); break;
      case 'o': w.offer(r.offer()); break;
      case 'n': {
        const std::uint32_t n = r.u32();
        w.u32(n);
        for (std::uint32_t i = 0; i < n && r.ok(); ++i) w.i32(r.i32());
        break;
      }
    }
  }
  FUZZ_CHECK(wire::matches(body.data() + 1, body.size() - 1, layout) == r.done(),
             "kind %u: wire::matches disagrees with a field-by-field decode", kind);
  if (!r.ok()) {
    FUZZ_CHECK(!r.done(), "a failed Reader reports done()");
    FUZZ_CHECK(r.u32() == 0 && r.str().empty(), "a failed Reader read something");
    return;
  }
  if (!r.done()) return;  // bytes left over: a frame the service refuses
  const std::string again = w.finish();
  FUZZ_CHECK(again.size() == body.size() + 4 && again.compare(4, std::string::npos, body) == 0,
             "kind %u: decoded and re-encoded body differs (%zu vs %zu bytes)", kind, again.size() - 4, body.size());
}

std::vector<std::string> frames(const std::uint8_t* data, std::size_t size, std::size_t chunk, bool* broken) {
  wire::FrameBuffer buffer;
  std::vector<std::string> out;
  std::string body;
  for (std::size_t at = 0; at < size; at += chunk) {
    const std::size_t n = size - at < chunk ? size - at : chunk;
    buffer.feed(reinterpret_cast<const char*>(data) + at, n);
    while (buffer.next(&body)) {
      FUZZ_CHECK(!body.empty() && body.size() <= wire::kMaxFrameBytes, "a frame of %zu bytes", body.size());
      out.push_back(body);
    }
  }
  *broken = buffer.broken();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  bool brokenWhole = false, brokenChunked = false, brokenBytes = false;
  const std::vector<std::string> whole = frames(data + 1, size - 1, size, &brokenWhole);
  const std::vector<std::string> chunked = frames(data + 1, size - 1, chunk, &brokenChunked);
  const std::vector<std::string> bytes = frames(data + 1, size - 1, 1, &brokenBytes);
  FUZZ_CHECK(whole == chunked && whole == bytes, "framing depends on chunking (%zu / %zu / %zu frames)", whole.size(),
             chunked.size(), bytes.size());
  FUZZ_CHECK(brokenWhole == brokenChunked && brokenWhole == brokenBytes, "broken() depends on chunking");
  for (const std::string& body : whole) roundTrip(body);
  return 0;
}
