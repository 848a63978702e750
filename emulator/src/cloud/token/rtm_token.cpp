#include "cloud/token/rtm_token.h"

#include <algorithm>
#include <string>

#include "cloud/token/codec.h"
#include "cloud/token/sha256.h"

namespace rtm_emulator::token {

namespace {

constexpr std::size_t kAppIdChars = 32;
constexpr std::size_t kSignatureBytes = 32;
constexpr std::uint16_t kPrivilegeRtmLogin006 = 1000;  // AccessToken kRtmLogin
constexpr std::uint16_t kServiceRtc = 1;
constexpr std::uint16_t kServiceRtm = 2;
constexpr std::uint16_t kPrivilegeRtmLogin007 = 1;

// Little-endian fields of the token formats; any read past the end fails, and a failed reader
// stays failed.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool u16(std::uint16_t* v) {
    std::string_view b;
    if (!take(2, &b)) return false;
    *v = static_cast<std::uint16_t>(byte(b, 0) | (byte(b, 1) << 8));
    return true;
  }
  bool u32(std::uint32_t* v) {
    std::string_view b;
    if (!take(4, &b)) return false;
    *v = byte(b, 0) | (byte(b, 1) << 8) | (byte(b, 2) << 16) | (byte(b, 3) << 24);
    return true;
  }
  // A uint16 length, then that many bytes.
  bool bytes(std::string_view* v) {
    std::uint16_t size;
    return u16(&size) && take(size, v);
  }
  // A uint16 count of (uint16 key, uint32 value) pairs; reports each pair to `f`.
  template <class F>
  bool privileges(F&& f) {
    std::uint16_t count;
    if (!u16(&count)) return false;
    for (std::uint16_t i = 0; i < count; ++i) {
      std::uint16_t key;
      std::uint32_t value;
      if (!u16(&key) || !u32(&value)) return false;
      f(key, value);
    }
    return true;
  }
  std::string_view rest() const { return bytes_.substr(pos_); }
  bool atEnd() const { return pos_ == bytes_.size(); }

 private:
  static std::uint32_t byte(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }
  bool take(std::size_t n, std::string_view* out) {
    if (failed_ || bytes_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    *out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

TokenCheck verdict(TokenStatus status, int version, const char* reason, std::int64_t expiresAt = 0) {
  TokenCheck c;
  c.status = status;
  c.version = version;
  c.reason = reason;
  c.expiresAt = expiresAt;
  return c;
}

TokenCheck expiryVerdict(int version, std::int64_t expiresAt, std::int64_t nowSeconds) {
  return nowSeconds > expiresAt ? verdict(TokenStatus::Expired, version, "expired", expiresAt)
                                : verdict(TokenStatus::Ok, version, "ok", expiresAt);
}

std::string u32le(std::uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

bool sameSignature(std::string_view signature, const Digest& expected) {
  return signature.size() == expected.size() &&
         constantTimeEqual(reinterpret_cast<const std::uint8_t*>(signature.data()), expected.data(), expected.size());
}

// "006" ‖ App ID (32 chars) ‖ Base64(sig ‖ crc_channel ‖ crc_uid ‖ m), m = salt ‖ ts ‖ privileges.
// The RTM builder puts the user id in the channel slot and "" in the uid slot.
TokenCheck verify006(std::string_view token, std::string_view appId, std::string_view appCertificate,
                     std::string_view userId, std::int64_t nowSeconds) {
  constexpr int v = 6;
  if (token.size() < 3 + kAppIdChars) return verdict(TokenStatus::Invalid, v, "006: too short");
  const std::string_view tokenAppId = token.substr(3, kAppIdChars);
  std::string content;
  if (!base64Decode(token.substr(3 + kAppIdChars), &content)) return verdict(TokenStatus::Invalid, v, "006: bad base64");

  Reader r(content);
  std::string_view signature, message;
  std::uint32_t crcChannel = 0, crcUid = 0;
  if (!r.bytes(&signature) || !r.u32(&crcChannel) || !r.u32(&crcUid) || !r.bytes(&message)) {
    return verdict(TokenStatus::Invalid, v, "006: truncated content");
  }
  if (!r.atEnd()) return verdict(TokenStatus::Invalid, v, "006: unsigned bytes after the content");
  if (signature.size() != kSignatureBytes) return verdict(TokenStatus::Invalid, v, "006: signature is not 32 bytes");

  Reader m(message);  // signed bytes after the known fields are ignored
  std::uint32_t salt = 0, ts = 0;
  bool rtmLogin = false;
  if (!m.u32(&salt) || !m.u32(&ts) ||
      !m.privileges([&](std::uint16_t key, std::uint32_t) { rtmLogin = rtmLogin || key == kPrivilegeRtmLogin006; })) {
    return verdict(TokenStatus::Invalid, v, "006: truncated message");
  }

  if (tokenAppId != appId) return verdict(TokenStatus::WrongAppId, v, "006: another App ID");
  std::string signedBytes;
  signedBytes.reserve(appId.size() + userId.size() + message.size());
  signedBytes.append(appId).append(userId).append(message);  // App ID ‖ channel (user id) ‖ uid ("") ‖ m
  if (!sameSignature(signature, hmacSha256(appCertificate, signedBytes))) {
    return verdict(TokenStatus::Invalid, v, "006: signature does not match (certificate, user id or content)");
  }
  if (crcChannel != crc32(userId) || crcUid != crc32("")) {
    return verdict(TokenStatus::Invalid, v, "006: crc fields do not match");
  }
  if (!rtmLogin) return verdict(TokenStatus::Invalid, v, "006: no RTM login privilege");
  return expiryVerdict(v, ts, nowSeconds);
}

// "007" ‖ Base64(zlib(signature ‖ signing_info)), signing_info = App ID ‖ issue_ts ‖ expire ‖ salt
// ‖ services; each service = type ‖ privileges ‖ its fields (RTC: channel, uid; RTM: user id).
TokenCheck verify007(std::string_view token, std::string_view appId, std::string_view appCertificate,
                     std::string_view userId, std::int64_t nowSeconds) {
  constexpr int v = 7;
  std::string packed, content;
  if (!base64Decode(token.substr(3), &packed)) return verdict(TokenStatus::Invalid, v, "007: bad base64");
  switch (zlibInflate(packed, kMaxInflatedBytes, &content)) {
    case InflateResult::Ok:
      break;
    case InflateResult::TooLarge:
      return verdict(TokenStatus::Invalid, v, "007: content inflates beyond the limit");
    case InflateResult::Malformed:
      return verdict(TokenStatus::Invalid, v, "007: bad zlib stream");
  }

  Reader r(content);
  std::string_view signature;
  if (!r.bytes(&signature)) return verdict(TokenStatus::Invalid, v, "007: truncated content");
  if (signature.size() != kSignatureBytes) return verdict(TokenStatus::Invalid, v, "007: signature is not 32 bytes");
  const std::string_view signingInfo = r.rest();

  Reader s(signingInfo);
  std::string_view tokenAppId;
  std::uint32_t issueTs = 0, expire = 0, salt = 0;
  std::uint16_t serviceCount = 0;
  if (!s.bytes(&tokenAppId) || !s.u32(&issueTs) || !s.u32(&expire) || !s.u32(&salt) || !s.u16(&serviceCount)) {
    return verdict(TokenStatus::Invalid, v, "007: truncated signing info");
  }
  bool forUser = false;            // an RTM service for userId with the login privilege
  std::uint32_t loginPrivilege = 0;  // its value: seconds after issue_ts
  for (std::uint16_t i = 0; i < serviceCount; ++i) {
    std::uint16_t type = 0;
    if (!s.u16(&type)) return verdict(TokenStatus::Invalid, v, "007: truncated service");
    if (type != kServiceRtc && type != kServiceRtm) break;  // unknown type: Agora's parser stops here too
    bool login = false;
    std::uint32_t loginValue = 0;
    const bool ok = s.privileges([&](std::uint16_t key, std::uint32_t value) {
      if (key == kPrivilegeRtmLogin007) {
        login = true;
        loginValue = value;  // a repeated key: the last one counts
      }
    });
    std::string_view field1, field2;
    if (!ok || !s.bytes(&field1) || (type == kServiceRtc && !s.bytes(&field2))) {
      return verdict(TokenStatus::Invalid, v, "007: truncated service");
    }
    if (type == kServiceRtm && login && !forUser && field1 == userId) {
      forUser = true;
      loginPrivilege = loginValue;
    }
  }

  if (!isHex32(tokenAppId)) return verdict(TokenStatus::Invalid, v, "007: App ID is not 32 hex characters");
  if (tokenAppId != appId) return verdict(TokenStatus::WrongAppId, v, "007: another App ID");
  // The certificate is the message of the first step, not its key.
  const Digest k1 = hmacSha256(u32le(issueTs), appCertificate);
  const Digest k2 = hmacSha256(u32le(salt), asBytes(k1));
  if (!sameSignature(signature, hmacSha256(asBytes(k2), signingInfo))) {
    return verdict(TokenStatus::Invalid, v, "007: signature does not match (certificate or content)");
  }
  if (!forUser) return verdict(TokenStatus::Invalid, v, "007: no RTM login privilege for this user");
  const std::int64_t lifetime = std::min<std::int64_t>({expire, loginPrivilege, kMaxToken2LifetimeSeconds});
  return expiryVerdict(v, static_cast<std::int64_t>(issueTs) + lifetime, nowSeconds);
}

}  // namespace

bool isHex32(std::string_view s) {
  return s.size() == kAppIdChars && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

TokenCheck verifyRtmToken(std::string_view token, std::string_view appId, std::string_view appCertificate,
                          std::string_view userId, std::int64_t nowSeconds) {
  const std::string_view prefix = token.substr(0, 3);
  if (prefix != "006" && prefix != "007") return verdict(TokenStatus::Invalid, 0, "not a 006 or 007 token");
  if (token.size() > kMaxTokenChars) return verdict(TokenStatus::Invalid, 0, "token too long");
  return prefix == "006" ? verify006(token, appId, appCertificate, userId, nowSeconds)
                         : verify007(token, appId, appCertificate, userId, nowSeconds);
}

}  // namespace rtm_emulator::token
