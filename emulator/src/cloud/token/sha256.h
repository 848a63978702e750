// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written here for the token verifier so that
// the emulator needs no crypto library. Not hardened against side channels beyond what the token
// check needs: the signature comparison is constant-time (constantTimeEqual).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rtm_emulator::token {

using Digest = std::array<std::uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // The digest of everything updated so far; the object must not be used afterwards.
  Digest finish();

 private:
  void compress(const std::uint8_t* block);

  std::uint32_t state_[8];
  std::uint8_t block_[64];
  std::size_t blockUsed_ = 0;
  std::uint64_t totalBytes_ = 0;
};

Digest sha256(std::string_view bytes);
Digest hmacSha256(std::string_view key, std::string_view message);

// Compares two byte ranges of the same length without an early exit.
bool constantTimeEqual(const std::uint8_t* a, const std::uint8_t* b, std::size_t size);

inline std::string_view asBytes(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace rtm_emulator::token
