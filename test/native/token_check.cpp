// The emulator's token verifier (emulator/src/cloud/token): SHA-256 (FIPS 180-4 examples) and
// HMAC-SHA256 (RFC 4231) known answers, CRC-32, Base64 and zlib decoding (good, malformed and
// oversized streams), and verifyRtmToken on the 006 / 007 vectors of shared/rtm-semantics.md §5.3
// and on tokens built here field by field (test/native/token_build.h).
// Prints one line per failed check and a summary; exits non-zero when anything failed.
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "cloud/token/codec.h"
#include "cloud/token/rtm_token.h"
#include "cloud/token/sha256.h"
#include "token_build.h"

using namespace rtm_emulator::token;
using namespace token_build;

namespace {

// shared/rtm-semantics.md §5.3 (Agora's public sample App ID and certificate).
const std::string kVectorAppId = "970CA35de60c44645bbae8a215061b33";
const std::string kVectorCert = "5CFd2fd1755d40ecb72977518be15d3b";
const std::string kOtherCert = "0123456789abcdef0123456789abcdef";
const std::string kOtherAppId = "0123456789abcdef0123456789abcdef";
const std::string kVector006 =
    "006970CA35de60c44645bbae8a215061b33IABFqk7+8XAqgTol5bqwX5EzBbAb0AFSLkalR6tQ+RY0D4b86ogAAAAAEAABAAAAR/QQAAEA6AMAAAAA";
const std::string kVector007 =
    "007eJxTYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhJgZGBkYwn5OhJLW4JL60OLUIAFlWHoA=";
// The RTC + RTM token of agora-token 2.0.6's test/AccessToken2Test.js (AccessToken_Test4):
// channel 7d72365eb983485397e3e3f9d460bdda, uid 2882341273, user test_user, ts 1111111, expire 600.
const std::string kVectorRtcRtm =
    "007eJxTYOAQsrQ5s3TfH+1tvy8zZZ46EpCc0V43JXdGd2jS8porKo4KDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGRgYmBgYGVgYGMF8JjDJDCZZwKQCg3mKuZGxmWlqkqWFsYmFqbGleapxqnGaZYqJmUFSSkoiF4ORhYWRsYmhkbkxyCyISZwMJanFJfGlxalFACKnKng=";

std::string hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += kDigits[static_cast<unsigned char>(c) >> 4];
    out += kDigits[static_cast<unsigned char>(c) & 15];
  }
  return out;
}
std::string hex(const Digest& d) { return hex(std::string(asBytes(d))); }

std::string unhex(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) out += static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16));
  return out;
}

const char* statusName(TokenStatus s) {
  switch (s) {
    case TokenStatus::Ok: return "Ok";
    case TokenStatus::Invalid: return "Invalid";
    case TokenStatus::Expired: return "Expired";
    case TokenStatus::WrongAppId: return "WrongAppId";
  }
  return "?";
}

// "Status expiresAt" (expiresAt only for Ok / Expired), for CHECK_STR.
std::string verdict(const std::string& token, const std::string& user, std::int64_t now,
                    const std::string& appId = kVectorAppId, const std::string& cert = kVectorCert) {
  const TokenCheck c = verifyRtmToken(token, appId, cert, user, now);
  std::string out = statusName(c.status);
  if (c.status == TokenStatus::Ok || c.status == TokenStatus::Expired) out += " " + std::to_string(c.expiresAt);
  return out;
}

void testSha256() {
  // FIPS 180-4 examples (and the one-million-'a' message of the NIST test vectors).
  CHECK_STR(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_STR(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK_STR(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK_STR(hex(sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK_STR(hex(sha256(std::string(1000000, 'a'))), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Incremental updates in odd pieces give the one-shot digest, across every padding boundary.
  for (std::size_t len : {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000}) {
    std::string message;
    for (std::size_t i = 0; i < len; ++i) message += static_cast<char>(i * 7 + 3);
    Sha256 h;
    for (std::size_t i = 0; i < len;) {
      const std::size_t piece = std::min<std::size_t>(len - i, 1 + i % 13);
      h.update(message.data() + i, piece);
      i += piece;
    }
    CHECK_STR(hex(h.finish()), hex(sha256(message)));
  }
}

void testHmac() {
  // RFC 4231 test cases 1, 2, 3, 4, 6, 7 (case 5 is a truncated output).
  CHECK_STR(hex(hmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK_STR(hex(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK_STR(hex(hmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  CHECK_STR(hex(hmacSha256(unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  CHECK_STR(hex(hmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK_STR(hex(hmacSha256(std::string(131, '\xaa'),
                           "This is a test using a larger than block-size key and a larger than block-size data. "
                           "The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  const std::uint8_t a[3] = {1, 2, 3}, b[3] = {1, 2, 4};
  CHECK(constantTimeEqual(a, a, 3));
  CHECK(!constantTimeEqual(a, b, 3));
  CHECK(constantTimeEqual(a, b, 2));
}

void testCrcAndAdler() {
  CHECK_EQ(crc32("123456789"), 0xcbf43926u);  // the CRC-32/IEEE check value
  CHECK_EQ(crc32(""), 0u);
  CHECK_EQ(crc32("test_user"), 0x88eafc86u);  // Python's zlib.crc32
  CHECK_EQ(adler32(""), 1u);
  CHECK_EQ(adler32("Wikipedia"), 0x11e60398u);
}

void testBase64() {
  std::string out;
  const std::vector<std::pair<std::string, std::string>> good = {
      {"", ""}, {"Zg==", "f"}, {"Zm8=", "fo"}, {"Zm9v", "foo"}, {"Zm9vYg==", "foob"}, {"Zm9vYmE=", "fooba"},
      {"Zm9vYmFy", "foobar"}, {"+/+/", "\xfb\xff\xbf"}};
  for (const auto& g : good) {
    CHECK(base64Decode(g.first, &out));
    CHECK_STR(out, g.second);
    CHECK_STR(base64Encode(g.second), g.first);  // the test's encoder, for the builders below
  }
  // Wrong length, padding outside the end, a third '=', unused bits set, other alphabets, spaces.
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9vYg==Zm9v", "Zm=v", "Zh==", "Zm9=", "Zm-v", "Zm_v", "Zm9 ",
                          "Zm9v\nYg==", "====", "Zg=a"}) {
    CHECK(!base64Decode(bad, &out));
  }
  // Every byte value round-trips.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  CHECK(base64Decode(base64Encode(all), &out));
  CHECK(out == all);
}

std::string inflateText() {
  // The text behind kDynamic (Python: zlib.compress(text, 9), a dynamic-Huffman block).
  static const char* kWords[] = {"token", "agora", "rtm", "emulator", "signature", "expire", "user", "channel",
                                 "service", "salt"};
  std::string text;
  for (long long i = 0; i < 300; ++i) text += std::string(i ? " " : "") + kWords[(i * i * 31 + i * 17 + 3) % 97 % 10];
  return text;
}

void testInflate() {
  const std::string dynamic = unhex(
      "78daed52cb0e02210cfc157e8d6c9a95c882e161fc7c178682109578f2c28165693b9da10c1d51cb609d90bb755278b5"
      "1b19a223e1c291d77691c690aebb973a88e8c98973ddd5864aa0e97153271487142e0162928c431adf1ca8e952fea521"
      "7342409232ea63dded26a5159370e1e74083d61474307b13fc46f9481cec95cc4b1467e466fdbb39f38e060ccd258523"
      "cd03bf39ca25253bb4e9475fa9a184a1f32bf48e191f7cd6bfa17f789f65d565d565d565d565d5bf5af50902a71f5c");
  std::string out;
  CHECK(zlibInflate(dynamic, 64 * 1024, &out) == InflateResult::Ok);
  CHECK_EQ(out.size(), 2107);
  CHECK(out == inflateText());
  // The output bound is exact.
  CHECK(zlibInflate(dynamic, 2107, &out) == InflateResult::Ok);
  CHECK(zlibInflate(dynamic, 2106, &out) == InflateResult::TooLarge);
  // Every truncation, and every single-bit flip, is refused or (a flip in a Huffman code may
  // still decode) gives other bytes whose Adler-32 then fails; never a crash.
  int accepted = 0;
  for (std::size_t n = 0; n < dynamic.size(); ++n) {
    if (zlibInflate(dynamic.substr(0, n), 64 * 1024, &out) != InflateResult::Malformed) ++accepted;
  }
  for (std::size_t i = 0; i < dynamic.size() * 8; ++i) {
    std::string flipped = dynamic;
    flipped[i / 8] = static_cast<char>(flipped[i / 8] ^ (1 << (i % 8)));
    if (zlibInflate(flipped, 64 * 1024, &out) == InflateResult::Ok && out != inflateText()) ++accepted;
  }
  CHECK_EQ(accepted, 0);
  // Trailing bytes after the stream.
  CHECK(zlibInflate(dynamic + "x", 64 * 1024, &out) == InflateResult::Malformed);

  // Stored blocks, including an empty stream and more than one block.
  for (std::size_t len : {0, 1, 300, 65535, 65536, 70000}) {
    std::string content;
    for (std::size_t i = 0; i < len; ++i) content += static_cast<char>(i * 31);
    CHECK(zlibInflate(zlibStored(content), 128 * 1024, &out) == InflateResult::Ok);
    CHECK(out == content);
  }
  CHECK(zlibInflate(zlibStored(std::string(70000, 'x')), 64 * 1024, &out) == InflateResult::TooLarge);
  std::string badLen = zlibStored("hello");
  badLen[5] = 0;  // NLEN no longer the complement of LEN
  CHECK(zlibInflate(badLen, 1024, &out) == InflateResult::Malformed);

  // Fixed Huffman with back-references: 1 + 258 × n bytes from a few hundred.
  CHECK(zlibInflate(zlibRepeat(10), 64 * 1024, &out) == InflateResult::Ok);
  CHECK(out == std::string(2581, 'a'));
  // A small stream that would inflate far beyond the bound stops at the bound.
  const std::string bomb = zlibRepeat(4000);
  CHECK(bomb.size() < 8000);
  CHECK(zlibInflate(bomb, 64 * 1024, &out) == InflateResult::TooLarge);
  CHECK(zlibInflate(zlibRepeat(10, false), 64 * 1024, &out) == InflateResult::Malformed);  // no Adler-32

  // Headers: not deflate, a window over 32 KiB, a bad check value, a preset dictionary, too short.
  for (const std::string& header : {std::string("\x79\x01"), std::string("\x88\x1c"), std::string("\x78\x02"),
                                    std::string("\x78\x20"), std::string("\x78")}) {
    CHECK(zlibInflate(header + zlibStored("abc").substr(2), 1024, &out) == InflateResult::Malformed);
  }
  // Block type 3, and a distance before the start of the output.
  CHECK(zlibInflate(std::string("\x78\x01\x07", 3), 1024, &out) == InflateResult::Malformed);
  BitWriter far;
  far.bits(1, 1);
  far.bits(1, 2);
  far.code(0x30 + 'a', 8);
  far.code(0xc0 + 5, 8);  // length 258
  far.code(1, 5);         // distance 2: one byte of output only
  far.code(0, 7);
  CHECK(zlibInflate("\x78\x01" + far.bytes() + std::string(4, '\0'), 1024, &out) == InflateResult::Malformed);
}

// What §5.3 expects of a vector: valid for test_user with its certificate up to and including
// `expiresAt`, expired one second later; Invalid for another user (expired or not) or with another
// certificate; WrongAppId for another App ID.
void checkVector(const std::string& token, int version, std::int64_t validAt, std::int64_t expiresAt) {
  const std::string ok = "Ok " + std::to_string(expiresAt);
  CHECK_STR(verdict(token, "test_user", validAt), ok);
  CHECK_STR(verdict(token, "test_user", expiresAt), ok);
  CHECK_STR(verdict(token, "test_user", expiresAt + 1), "Expired " + std::to_string(expiresAt));
  CHECK_STR(verdict(token, "other_user", validAt), "Invalid");
  CHECK_STR(verdict(token, "other_user", expiresAt + 1), "Invalid");
  CHECK_STR(verdict(token, "test_user", validAt, kVectorAppId, kOtherCert), "Invalid");
  CHECK_STR(verdict(token, "test_user", validAt, kOtherAppId), "WrongAppId");
  CHECK_EQ(verifyRtmToken(token, kVectorAppId, kVectorCert, "test_user", 0).version, version);
}

void testVector006() {
  // Expires at its pinned ts (1111111).
  checkVector(kVector006, 6, 1000000, 1111111);
  // The content as §5.3 describes it: crc_channel = CRC-32("test_user"), crc_uid = 0, {1000: 0}.
  std::string content;
  CHECK(base64Decode(kVector006.substr(35), &content));
  CHECK_STR(hex(content.substr(34, 8)), hex(le32(crc32("test_user")) + le32(0)));
  CHECK_STR(hex(content.substr(44)), hex(le32(1) + le32(1111111) + privileges({{1000, 0}})));
  // The builder of token_build.h gives the vector exactly.
  CHECK_STR(token006(kVectorAppId, kVectorCert, "test_user", 1, 1111111), kVector006);
}

void testVector007() {
  // Issued at 1111111 for 600 s.
  checkVector(kVector007, 7, 1111111, 1111711);
  checkVector(kVectorRtcRtm, 7, 1111111, 1111711);
  // Same fields, another zlib encoding (stored blocks): the same verdicts (§5.2: never compare strings).
  const std::string rebuilt = token007(content007(kVectorAppId, kVectorCert, 1111111, 600, 1, 1, rtmService("test_user", 600)));
  CHECK(rebuilt != kVector007);
  CHECK_STR(verdict(rebuilt, "test_user", 1111711), "Ok 1111711");
  CHECK_STR(verdict(rebuilt, "test_user", 1111712), "Expired 1111711");
  std::string packed, vectorContent;
  CHECK(base64Decode(kVector007.substr(3), &packed));
  CHECK(zlibInflate(packed, 64 * 1024, &vectorContent) == InflateResult::Ok);
  CHECK(vectorContent == content007(kVectorAppId, kVectorCert, 1111111, 600, 1, 1, rtmService("test_user", 600)));
}

void testBuilt006() {
  const std::string app = kVectorAppId, cert = kVectorCert;
  // The RTM privilege value is ignored (Agora: "has no effect"); only ts expires a 006 token.
  CHECK_STR(verdict(token006(app, cert, "u", 7, 5000, {{1000, 10}}), "u", 4000), "Ok 5000");
  // Other privileges beside 1000, in any order.
  CHECK_STR(verdict(token006(app, cert, "u", 7, 5000, {{1, 0}, {1000, 0}, {2000, 9}}), "u", 5000), "Ok 5000");
  // Without the RTM login privilege.
  CHECK_STR(verdict(token006(app, cert, "u", 7, 5000, {}), "u", 10), "Invalid");
  CHECK_STR(verdict(token006(app, cert, "u", 7, 5000, {{1, 0}}), "u", 10), "Invalid");
  // A user id with non-ASCII bytes and the longest id.
  const std::string longId(64, 'z');
  CHECK_STR(verdict(token006(app, cert, longId, 7, 5000), longId, 10), "Ok 5000");
  CHECK_STR(verdict(token006(app, cert, "\xc3\xa9t\xc3\xa9", 7, 5000), "\xc3\xa9t\xc3\xa9", 10), "Ok 5000");
  // The App ID that is not 32 characters long: the token's own slot is always 32.
  CHECK_STR(verdict(token006(app, cert, "u", 7, 5000), "u", 10, app.substr(0, 31)), "WrongAppId");

  // Content: tampering with any byte (signature, crcs, m) or adding one is refused.
  const std::string good = token006(app, cert, "u", 7, 5000);
  std::string content;
  CHECK(base64Decode(good.substr(35), &content));
  int accepted = 0;
  for (std::size_t i = 0; i < content.size(); ++i) {
    std::string t = content;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    if (verifyRtmToken("006" + app + base64Encode(t), app, cert, "u", 10).status == TokenStatus::Ok) ++accepted;
  }
  CHECK_EQ(accepted, 0);
  CHECK_STR(verdict("006" + app + base64Encode(content + "x"), "u", 10), "Invalid");
  // Signed bytes after the known fields of m are covered by the signature and otherwise ignored.
  const std::string m = le32(7) + le32(5000) + privileges({{1000, 0}}) + "extra";
  const std::string signedExtra = str16(hmac(cert, app + "u" + m)) + le32(crc32("u")) + le32(0) + str16(m);
  CHECK_STR(verdict("006" + app + base64Encode(signedExtra), "u", 10), "Ok 5000");
  // Wrong crc fields with a good signature.
  const std::string m2 = le32(7) + le32(5000) + privileges({{1000, 0}});
  const std::string badCrc = str16(hmac(cert, app + "u" + m2)) + le32(crc32("v")) + le32(0) + str16(m2);
  CHECK_STR(verdict("006" + app + base64Encode(badCrc), "u", 10), "Invalid");
  // A signature that is not 32 bytes.
  const std::string shortSig = str16(hmac(cert, app + "u" + m2).substr(0, 31)) + le32(crc32("u")) + le32(0) + str16(m2);
  CHECK_STR(verdict("006" + app + base64Encode(shortSig), "u", 10), "Invalid");
}

void testBuilt007() {
  const std::string app = kVectorAppId, cert = kVectorCert;
  const auto build = [&](std::uint32_t issue, std::uint32_t expire, std::uint16_t count, const std::string& services) {
    return token007(content007(app, cert, issue, expire, 99999999, count, services));
  };
  // The lifetime is the shortest of expire, the login privilege and 24 h.
  CHECK_STR(verdict(build(1000, 600, 1, rtmService("u", 100)), "u", 1000), "Ok 1100");
  CHECK_STR(verdict(build(1000, 100, 1, rtmService("u", 600)), "u", 1101), "Expired 1100");
  CHECK_STR(verdict(build(1000, 200000, 1, rtmService("u", 200000)), "u", 1000), "Ok 87400");
  CHECK_STR(verdict(build(1000, 0, 1, rtmService("u", 0)), "u", 1001), "Expired 1000");
  // issue_ts + expire beyond 32 bits does not wrap.
  CHECK_STR(verdict(build(0xffffff00u, 3600, 1, rtmService("u", 3600)), "u", 0xffffff00ll), "Ok 4294970640");
  // RTC before RTM (the package's RTC+RTM builder), and several RTM services.
  const std::string rtc = le16(1) + privileges({{1, 600}, {2, 600}}) + str16("7d72365eb983485397e3e3f9d460bdda") +
                          str16("2882341273");
  CHECK_STR(verdict(build(1000, 600, 2, rtc + rtmService("u", 600)), "u", 1000), "Ok 1600");
  CHECK_STR(verdict(build(1000, 600, 2, rtmService("v", 600) + rtmService("u", 60)), "u", 1000), "Ok 1060");
  CHECK_STR(verdict(build(1000, 600, 2, rtmService("v", 600) + rtmService("u", 60)), "w", 1000), "Invalid");
  // An RTC service only; an RTM service without the login privilege.
  CHECK_STR(verdict(build(1000, 600, 1, rtc), "u", 1000), "Invalid");
  CHECK_STR(verdict(build(1000, 600, 1, le16(2) + privileges({{2, 600}}) + str16("u")), "u", 1000), "Invalid");
  // An unknown service type ends the services: RTM after it is not seen, before it is.
  const std::string chat = le16(5) + privileges({{1, 600}}) + str16("u");
  CHECK_STR(verdict(build(1000, 600, 2, chat + rtmService("u", 600)), "u", 1000), "Invalid");
  CHECK_STR(verdict(build(1000, 600, 2, rtmService("u", 600) + chat), "u", 1000), "Ok 1600");
  CHECK_STR(verdict(build(1000, 600, 2, rtmService("u", 600) + "\x09"), "u", 1000), "Invalid");  // truncated type
  // Fewer services than counted; more bytes than counted (signed, ignored).
  CHECK_STR(verdict(build(1000, 600, 2, rtmService("u", 600)), "u", 1000), "Invalid");
  CHECK_STR(verdict(build(1000, 600, 1, rtmService("u", 600) + "more"), "u", 1000), "Ok 1600");
  // Another App ID in the token (signed with it); an App ID that is not 32 hex characters.
  CHECK_STR(verdict(token007(content007(kOtherAppId, cert, 1000, 600, 1, 1, rtmService("u", 600))), "u", 1000),
            "WrongAppId");
  CHECK_STR(verdict(token007(content007("short", cert, 1000, 600, 1, 1, rtmService("u", 600))), "u", 1000), "Invalid");
  const std::string notHex = "g" + app.substr(1);  // also refused when it is the client's own App ID
  CHECK_STR(verdict(token007(content007(notHex, cert, 1000, 600, 1, 1, rtmService("u", 600))), "u", 1000, notHex),
            "Invalid");

  // Tampering with any byte of the content is refused.
  const std::string content = content007(app, cert, 1000, 600, 1, 1, rtmService("u", 600));
  int accepted = 0;
  for (std::size_t i = 0; i < content.size(); ++i) {
    std::string t = content;
    t[i] = static_cast<char>(t[i] ^ 0x80);
    if (verifyRtmToken(token007(t), app, cert, "u", 1000).status == TokenStatus::Ok) ++accepted;
  }
  CHECK_EQ(accepted, 0);
  // A 31-byte signature.
  CHECK_STR(verdict(token007(str16(content.substr(2, 31)) + content.substr(34)), "u", 1000), "Invalid");
}

void testMalformed() {
  const std::string app = kVectorAppId, cert = kVectorCert;
  // Not a token of either format.
  for (const std::string& t : {std::string(""), std::string("0"), std::string("00"), std::string("005abc"),
                               std::string("008eJx"), std::string("yJhbGciOiJIUzI1NiJ9"), std::string("006"),
                               std::string("007")}) {
    CHECK_STR(verdict(t, "test_user", 0), "Invalid");
  }
  // Every truncation of both vectors is refused, never a crash.
  int accepted = 0;
  for (const std::string& v : {kVector006, kVector007}) {
    for (std::size_t n = 0; n < v.size(); ++n) {
      if (verifyRtmToken(v.substr(0, n), app, cert, "test_user", 0).status != TokenStatus::Invalid) ++accepted;
    }
  }
  CHECK_EQ(accepted, 0);
  // Bad Base64 (a character outside the alphabet, a URL-safe alphabet, whitespace).
  std::string bad = kVector007;
  bad[10] = '!';
  CHECK_STR(verdict(bad, "test_user", 0), "Invalid");
  bad = kVector006;
  bad[40] = '-';
  CHECK_STR(verdict(bad, "test_user", 0), "Invalid");
  CHECK_STR(verdict(kVector007 + "\n", "test_user", 0), "Invalid");
  // Bad zlib: valid Base64 of a stream with a wrong Adler-32, of raw DEFLATE (no zlib header), of
  // uncompressed content.
  std::string packed;
  CHECK(base64Decode(kVector007.substr(3), &packed));
  std::string badAdler = packed;
  badAdler.back() = static_cast<char>(badAdler.back() ^ 1);
  CHECK_STR(verdict("007" + base64Encode(badAdler), "test_user", 0), "Invalid");
  CHECK_STR(verdict("007" + base64Encode(packed.substr(2)), "test_user", 0), "Invalid");
  CHECK_STR(verdict("007" + base64Encode(content007(app, cert, 1000, 600, 1, 1, rtmService("u", 600))), "u", 1000),
            "Invalid");
  // Oversized: a token text over the limit, and a small token that inflates beyond 64 KiB.
  CHECK_STR(verdict("006" + app + std::string(kMaxTokenChars, 'A'), "test_user", 0), "Invalid");
  const TokenCheck bomb = verifyRtmToken("007" + base64Encode(zlibRepeat(300)), app, cert, "u", 0);
  CHECK(bomb.status == TokenStatus::Invalid);
  CHECK_STR(bomb.reason, "007: content inflates beyond the limit");
  // Stored (uncompressed) content over the inflate limit: its text is over the text limit too.
  CHECK(verifyRtmToken(token007(std::string(kMaxInflatedBytes + 1, 'x')), app, cert, "u", 0).status ==
        TokenStatus::Invalid);
  // Content that inflates fine but is garbage: an empty stream, a lone byte, a huge length prefix.
  for (const std::string& c : {std::string(""), std::string("\x01"), std::string("\xff\xff"), le16(32) + std::string(31, 's')}) {
    CHECK_STR(verdict(token007(c), "u", 0), "Invalid");
  }
  // 006 content cut short at each field.
  const std::string good = token006(app, cert, "u", 7, 5000);
  std::string content;
  CHECK(base64Decode(good.substr(35), &content));
  accepted = 0;
  for (std::size_t n = 0; n < content.size(); ++n) {
    if (verifyRtmToken("006" + app + base64Encode(content.substr(0, n)), app, cert, "u", 10).status !=
        TokenStatus::Invalid) {
      ++accepted;
    }
  }
  CHECK_EQ(accepted, 0);
}

}  // namespace

int main() {
  RUN(testSha256);
  RUN(testHmac);
  RUN(testCrcAndAdler);
  RUN(testBase64);
  RUN(testInflate);
  RUN(testVector006);
  RUN(testVector007);
  RUN(testBuilt006);
  RUN(testBuilt007);
  RUN(testMalformed);
  return finish("token_check");
}
