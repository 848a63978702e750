// Verification of Agora RTM tokens as the service does it (shared/rtm-semantics.md §5): AccessToken
// "006" and AccessToken2 "007", signed with HMAC-SHA256 under the project's App Certificate.
// Pure functions over bytes: no clock, no state, safe on any input.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtm_emulator::token {

enum class TokenStatus {
  Ok,
  Invalid,     // not a token, malformed, bad signature, not for this user, no RTM login privilege
  Expired,     // well formed, signed and for this user, but past its expiry
  WrongAppId,  // a well-formed token of another App ID (the service maps it as it chooses)
};

struct TokenCheck {
  TokenStatus status = TokenStatus::Invalid;
  int version = 0;             // 6 or 7 once the prefix was recognised, else 0
  std::int64_t expiresAt = 0;  // Ok / Expired: the last Unix second in which the token is valid
  const char* reason = "";     // a short fixed text saying why (for logs and tests)
};

// Longest token text looked at; a longer one is Invalid before any decoding.
constexpr std::size_t kMaxTokenChars = 16 * 1024;
// Most bytes a 007 token's zlib stream may inflate to; more is Invalid.
constexpr std::size_t kMaxInflatedBytes = 64 * 1024;
// AccessToken2 lifetimes are capped at 24 h after issue (shared/rtm-semantics.md §4).
constexpr std::int64_t kMaxToken2LifetimeSeconds = 24 * 60 * 60;

// 32 characters 0-9 a-f A-F: the form of App IDs and App Certificates.
bool isHex32(std::string_view s);

// Checks `token` for a login of `userId` to the project `appId` whose certificate is
// `appCertificate` (the 32-character string, used as ASCII bytes), at `nowSeconds` (Unix time).
// The order of the checks: layout and parsing (Invalid) → App ID (WrongAppId) → signature
// (Invalid) → user id and privilege (Invalid) → expiry (Expired: `nowSeconds > expiresAt`).
//   006: expiresAt = the token's `ts` (generation + 24 h); the RTM login privilege (1000) must be
//        present, its value is ignored (Agora: "has no effect" for RTM); crc fields must match.
//   007: the App ID inside must be 32 hex characters (else Invalid);
//        expiresAt = issue_ts + min(expire, RTM login privilege (1), 24 h); services of a type
//        other than RTC (1) and RTM (2) end the parsing of the services, as in Agora's parser.
TokenCheck verifyRtmToken(std::string_view token, std::string_view appId, std::string_view appCertificate,
                          std::string_view userId, std::int64_t nowSeconds);

}  // namespace rtm_emulator::token
