// The byte codecs the token formats use, written here so that the emulator needs no library:
// CRC-32 (IEEE 802.3, as zlib's crc32), strict Base64 decoding (RFC 4648 standard alphabet, with
// padding) and a bounded zlib (RFC 1950) / DEFLATE (RFC 1951) decoder. All of them are safe on
// arbitrary bytes: they never read outside their input and never allocate beyond their bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtm_emulator::token {

std::uint32_t crc32(std::string_view bytes);
std::uint32_t adler32(std::string_view bytes);

// Standard alphabet, '=' padding required (length a multiple of 4), no whitespace, and the unused
// bits of the last group must be zero (only one spelling of each byte string is accepted).
// False on anything else; *out is then unspecified.
bool base64Decode(std::string_view text, std::string* out);

enum class InflateResult {
  Ok,
  Malformed,  // not a zlib stream, a bad DEFLATE block, a wrong Adler-32, bytes after the stream
  TooLarge,   // the output would exceed maxOutput
};

// Decodes one complete zlib stream (header, DEFLATE blocks, Adler-32) that must span the whole
// input. A preset dictionary (FDICT) is refused. The work done is bounded by the input size and
// maxOutput. *out is unspecified unless the result is Ok.
InflateResult zlibInflate(std::string_view input, std::size_t maxOutput, std::string* out);

}  // namespace rtm_emulator::token
