// Builders for RTM tokens and their encodings, for test/native/token_check.cpp and the libFuzzer
// target test/libfuzzer/fuzz_token.cpp: little-endian packing, Base64 encoding, zlib streams of
// stored blocks (and a bit writer for hand-made fixed-Huffman ones), and signed 006 / 007 tokens
// laid out as shared/rtm-semantics.md §5.1 / §5.2 describe. Signing uses the emulator's own
// HMAC-SHA256, which token_check pins with RFC 4231's known answers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cloud/token/codec.h"
#include "cloud/token/sha256.h"

namespace token_build {

inline std::string le16(std::uint32_t v) { return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)}; }
inline std::string le32(std::uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }
// A uint16 length, then the bytes.
inline std::string str16(const std::string& s) { return le16(static_cast<std::uint32_t>(s.size())) + s; }
// A uint16 count of (uint16 key, uint32 value) pairs.
inline std::string privileges(const std::vector<std::pair<std::uint16_t, std::uint32_t>>& map) {
  std::string out = le16(static_cast<std::uint32_t>(map.size()));
  for (const auto& kv : map) out += le16(kv.first) + le32(kv.second);
  return out;
}

inline std::string base64Encode(const std::string& bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) out += j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 63] : '=';
  }
  return out;
}

inline std::string adler32Trailer(const std::string& content) {
  const std::uint32_t a = rtm_emulator::token::adler32(content);
  return {static_cast<char>(a >> 24), static_cast<char>(a >> 16), static_cast<char>(a >> 8), static_cast<char>(a)};
}

// A zlib stream of stored (uncompressed) blocks of at most 65 535 bytes each.
inline std::string zlibStored(const std::string& content) {
  std::string out = "\x78\x01";
  std::size_t pos = 0;
  do {
    const std::size_t n = content.size() - pos < 65535 ? content.size() - pos : 65535;
    const bool last = pos + n == content.size();
    out += static_cast<char>(last ? 1 : 0);
    out += le16(static_cast<std::uint32_t>(n)) + le16(static_cast<std::uint32_t>(~n & 0xffff));
    out.append(content, pos, n);
    pos += n;
  } while (pos < content.size());
  return out + adler32Trailer(content);
}

// Bits of a DEFLATE stream, least significant first; Huffman codes go in most significant bit first.
class BitWriter {
 public:
  void bits(std::uint32_t value, int n) {
    for (int i = 0; i < n; ++i) bit((value >> i) & 1);
  }
  void code(std::uint32_t code, int length) {
    for (int i = length - 1; i >= 0; --i) bit((code >> i) & 1);
  }
  std::string bytes() const { return out_; }

 private:
  void bit(std::uint32_t b) {
    if (used_ == 0) out_ += '\0';
    out_.back() = static_cast<char>(static_cast<unsigned char>(out_.back()) | (b << used_));
    used_ = (used_ + 1) % 8;
  }
  std::string out_;
  int used_ = 0;
};

// One fixed-Huffman block: the literal 'a', then `copies` copies of (length 258, distance 1):
// 1 + 258 × copies bytes from about 1.6 × copies bytes of stream.
inline std::string zlibRepeat(int copies, bool withTrailer = true) {
  BitWriter w;
  w.bits(1, 1);  // final
  w.bits(1, 2);  // fixed Huffman
  w.code(0x30 + 'a', 8);  // literals 0-143: 00110000 + value
  for (int i = 0; i < copies; ++i) {
    w.code(0xc0 + (285 - 280), 8);  // length 258: symbol 285 (280-287: 11000000 + n), no extra bits
    w.code(0, 5);                   // distance 1: symbol 0
  }
  w.code(0, 7);  // end of block: symbol 256 (256-279: 0000000 + n)
  std::string out = "\x78\x01" + w.bytes();
  return withTrailer ? out + adler32Trailer(std::string(1 + 258 * static_cast<std::size_t>(copies), 'a')) : out;
}

inline std::string hmac(const std::string& key, const std::string& message) {
  const auto d = rtm_emulator::token::hmacSha256(key, message);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

// 006: "006" ‖ App ID ‖ Base64(sig ‖ crc(user) ‖ crc("") ‖ m), with `m` given as bytes.
inline std::string token006Message(const std::string& appId, const std::string& certificate, const std::string& userId,
                                   const std::string& m) {
  const std::string sig = hmac(certificate, appId + userId + m);
  const std::string content = str16(sig) + le32(rtm_emulator::token::crc32(userId)) +
                              le32(rtm_emulator::token::crc32("")) + str16(m);
  return "006" + appId + base64Encode(content);
}

// 006 with m = salt ‖ ts ‖ privileges.
inline std::string token006(const std::string& appId, const std::string& certificate, const std::string& userId,
                            std::uint32_t salt, std::uint32_t ts,
                            const std::vector<std::pair<std::uint16_t, std::uint32_t>>& privilegeMap = {{1000, 0}}) {
  return token006Message(appId, certificate, userId, le32(salt) + le32(ts) + privileges(privilegeMap));
}

// The RTM service of a 007 token: type 2, privilege 1 (login) = `privilege`, the user id.
inline std::string rtmService(const std::string& userId, std::uint32_t privilege) {
  return le16(2) + privileges({{1, privilege}}) + str16(userId);
}

// The uncompressed 007 content: signature ‖ signing_info (App ID ‖ issue_ts ‖ expire ‖ salt ‖
// service count ‖ the services, already packed).
inline std::string content007(const std::string& appId, const std::string& certificate, std::uint32_t issueTs,
                              std::uint32_t expire, std::uint32_t salt, std::uint16_t serviceCount,
                              const std::string& services) {
  const std::string info = str16(appId) + le32(issueTs) + le32(expire) + le32(salt) + le16(serviceCount) + services;
  const std::string k1 = hmac(le32(issueTs), certificate);  // the certificate is the message
  const std::string k2 = hmac(le32(salt), k1);
  return str16(hmac(k2, info)) + info;
}

inline std::string token007(const std::string& content) { return "007" + base64Encode(zlibStored(content)); }

}  // namespace token_build
