// libFuzzer target: the RTM token verifier and its codecs (emulator/src/cloud/token): Base64,
// zlib inflate, the 006 / 007 parsers and verifyRtmToken.
//
// Input: a mode byte, then (input[0] % 3)
//   0  the token text itself (seed corpus: the vectors of shared/rtm-semantics.md §5.3);
//   1  a 007 token signed here with the test certificate: issue_ts, expire, salt (uint32 LE each),
//      then the service count (uint16 LE) and the service bytes verbatim, stored-zlib + Base64;
//   2  a 006 token signed here: the message m verbatim (salt ‖ ts ‖ privileges ‖ ...).
// Modes 1 and 2 reach past the signature check, into the services and the expiry.
// Checks, besides crash/ASan/UBSan/leak freedom:
//   - the same call gives the same verdict; only a recognised 006/007 token has a version;
//   - Ok at `now` ⇒ now ≤ expiresAt, Ok at expiresAt, Expired (same expiresAt) one second later;
//     Expired ⇒ Ok at expiresAt; a token that is Ok / Expired is Invalid for another user or
//     another certificate and WrongAppId for another App ID;
//   - base64Decode accepts only the canonical spelling (encoding its output gives the input);
//   - zlibInflate stays within its bound, and what it accepts re-inflates from stored blocks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "../native/token_build.h"
#include "cloud/token/codec.h"
#include "cloud/token/rtm_token.h"
#include "fuzz_check.h"

using namespace rtm_emulator::token;

namespace {

const std::string kAppId = "970CA35de60c44645bbae8a215061b33";
const std::string kCert = "5CFd2fd1755d40ecb72977518be15d3b";
const std::string kUser = "test_user";

std::uint32_t u32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= (at + i < b.size() ? static_cast<unsigned char>(b[at + i]) : 0u) << (8 * i);
  return v;
}

void checkToken(const std::string& token, std::int64_t now) {
  const TokenCheck c = verifyRtmToken(token, kAppId, kCert, kUser, now);
  const TokenCheck again = verifyRtmToken(token, kAppId, kCert, kUser, now);
  FUZZ_CHECK(c.status == again.status && c.expiresAt == again.expiresAt && c.version == again.version,
             "two calls, two verdicts");
  FUZZ_CHECK(c.reason != nullptr && c.reason[0] != '\0', "no reason");
  FUZZ_CHECK(c.version == 0 || c.version == 6 || c.version == 7, "version %d", c.version);
  if (c.version == 0) FUZZ_CHECK(c.status == TokenStatus::Invalid, "an unrecognised token is not Invalid");

  const bool signedForUser = c.status == TokenStatus::Ok || c.status == TokenStatus::Expired;
  if (c.status == TokenStatus::Ok) {
    FUZZ_CHECK(now <= c.expiresAt, "Ok after its expiry (%lld > %lld)", static_cast<long long>(now),
               static_cast<long long>(c.expiresAt));
    const TokenCheck later = verifyRtmToken(token, kAppId, kCert, kUser, c.expiresAt + 1);
    FUZZ_CHECK(later.status == TokenStatus::Expired && later.expiresAt == c.expiresAt, "not Expired after expiresAt");
  }
  if (c.status == TokenStatus::Expired) FUZZ_CHECK(now > c.expiresAt, "Expired before its expiry");
  if (signedForUser) {
    const TokenCheck atExpiry = verifyRtmToken(token, kAppId, kCert, kUser, c.expiresAt);
    FUZZ_CHECK(atExpiry.status == TokenStatus::Ok, "not Ok at expiresAt");
    FUZZ_CHECK(verifyRtmToken(token, kAppId, kCert, kUser + "x", now).status == TokenStatus::Invalid,
               "accepted for another user");
    FUZZ_CHECK(verifyRtmToken(token, kAppId, "0123456789abcdef0123456789abcdef", kUser, now).status ==
                   TokenStatus::Invalid,
               "accepted with another certificate");
    FUZZ_CHECK(verifyRtmToken(token, "0123456789abcdef0123456789abcdef", kCert, kUser, now).status ==
                   TokenStatus::WrongAppId,
               "accepted for another App ID");
  }
}

void checkCodecs(const std::string& bytes) {
  std::string decoded;
  if (base64Decode(bytes, &decoded)) {
    FUZZ_CHECK(token_build::base64Encode(decoded) == bytes, "Base64 accepted a non-canonical spelling");
  }
  constexpr std::size_t kBound = 4096;
  std::string inflated;
  const InflateResult r = zlibInflate(bytes, kBound, &inflated);
  if (r == InflateResult::Ok) {
    FUZZ_CHECK(inflated.size() <= kBound, "inflated beyond the bound");
    std::string again;
    FUZZ_CHECK(zlibInflate(token_build::zlibStored(inflated), kBound, &again) == InflateResult::Ok && again == inflated,
               "the output does not re-inflate from stored blocks");
    // A bound one byte smaller refuses exactly the streams that needed all of it.
    if (!inflated.empty()) {
      FUZZ_CHECK(zlibInflate(bytes, inflated.size() - 1, &again) == InflateResult::TooLarge, "bound not enforced");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      for (const std::int64_t now : {std::int64_t{0}, std::int64_t{1111111}, std::int64_t{1} << 33}) {
        checkToken(rest, now);
      }
      checkCodecs(rest);
      break;
    case 1: {
      const std::uint32_t issueTs = u32(rest, 0);
      const std::uint32_t expire = u32(rest, 4);
      const std::uint32_t salt = u32(rest, 8);
      const std::uint16_t count = static_cast<std::uint16_t>(u32(rest, 12) & 0xffff);
      const std::string services = rest.size() > 14 ? rest.substr(14) : std::string();
      const std::string token =
          token_build::token007(token_build::content007(kAppId, kCert, issueTs, expire, salt, count, services));
      for (const std::int64_t offset : {0, 30, 600, 90000}) checkToken(token, std::int64_t{issueTs} + offset);
      break;
    }
    default: {
      const std::string token = token_build::token006Message(kAppId, kCert, kUser, rest);
      for (const std::int64_t now : {std::int64_t{0}, static_cast<std::int64_t>(u32(rest, 4))}) checkToken(token, now);
      break;
    }
  }
  return 0;
}
