#include "cloud/token/codec.h"

#include <array>

namespace rtm_emulator::token {

namespace {

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;  // reflected 0x04c11db7
    table[n] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = makeCrcTable();

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// --- DEFLATE (RFC 1951) -------------------------------------------------------------------------

// Reads the stream's bits least significant first; never past the end of its input.
class BitReader {
 public:
  explicit BitReader(std::string_view in) : in_(in) {}

  // n ≤ 16 bits as a number, the first bit read lowest. False past the end.
  bool bits(int n, unsigned* value) {
    unsigned v = 0;
    for (int i = 0; i < n; ++i) {
      if (byte_ >= in_.size()) return false;
      v |= ((static_cast<unsigned char>(in_[byte_]) >> bit_) & 1u) << i;
      if (++bit_ == 8) {
        bit_ = 0;
        ++byte_;
      }
    }
    *value = v;
    return true;
  }
  void alignToByte() {
    if (bit_ != 0) {  // only after a bit of byte_ was read, so byte_ < size
      bit_ = 0;
      ++byte_;
    }
  }
  // Whole bytes, after alignToByte().
  bool takeBytes(std::size_t n, std::string_view* out) {
    if (in_.size() - byte_ < n) return false;
    *out = in_.substr(byte_, n);
    byte_ += n;
    return true;
  }
  bool atEnd() const { return byte_ == in_.size() && bit_ == 0; }

 private:
  std::string_view in_;
  std::size_t byte_ = 0;
  int bit_ = 0;
};

constexpr int kMaxCodeBits = 15;
constexpr int kMaxSymbols = 288;

// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
  std::uint16_t count[kMaxCodeBits + 1];
  std::uint16_t symbol[kMaxSymbols];
};

// Builds the code of `n` symbols from their code lengths (0 = unused). Refuses an over-subscribed
// set, and an incomplete one unless `allowSingle` and it holds at most one code, of length 1
// (RFC 1951 §3.2.7 allows one distance code; zlib accepts the same for literal/length codes).
bool buildHuffman(Huffman* h, const std::uint8_t* lengths, int n, bool allowSingle) {
  for (auto& c : h->count) c = 0;
  for (int i = 0; i < n; ++i) ++h->count[lengths[i]];
  const int codes = n - h->count[0];
  int left = 1;
  for (int len = 1; len <= kMaxCodeBits; ++len) {
    left <<= 1;
    left -= h->count[len];
    if (left < 0) return false;
  }
  if (left > 0 && !(allowSingle && (codes == 0 || (codes == 1 && h->count[1] == 1)))) return false;
  int offset[kMaxCodeBits + 2];
  offset[1] = 0;
  for (int len = 1; len <= kMaxCodeBits; ++len) offset[len + 1] = offset[len] + h->count[len];
  for (int sym = 0; sym < n; ++sym) {
    if (lengths[sym] != 0) h->symbol[offset[lengths[sym]]++] = static_cast<std::uint16_t>(sym);
  }
  return true;
}

// One symbol, reading its code a bit at a time (codes are packed most significant bit first).
bool decodeSymbol(BitReader& br, const Huffman& h, int* symbol) {
  int code = 0;   // the bits read so far
  int first = 0;  // the first code of the current length
  int index = 0;  // where that length's symbols start
  for (int len = 1; len <= kMaxCodeBits; ++len) {
    unsigned bit;
    if (!br.bits(1, &bit)) return false;
    code |= static_cast<int>(bit);
    const int count = h.count[len];
    if (code - first < count) {
      *symbol = h.symbol[index + (code - first)];
      return true;
    }
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return false;  // a code the (incomplete) set does not have
}

constexpr std::uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                           31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                           2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::uint16_t kDistanceBase[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                             33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                             1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::uint8_t kDistanceExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// The literals, lengths and distances of one compressed block, up to its end-of-block code.
InflateResult inflateCodes(BitReader& br, const Huffman& lit, const Huffman& dist, std::size_t maxOutput,
                           std::string* out) {
  for (;;) {
    int sym;
    if (!decodeSymbol(br, lit, &sym)) return InflateResult::Malformed;
    if (sym < 256) {
      if (out->size() >= maxOutput) return InflateResult::TooLarge;
      out->push_back(static_cast<char>(sym));
      continue;
    }
    if (sym == 256) return InflateResult::Ok;
    sym -= 257;
    if (sym >= 29) return InflateResult::Malformed;  // 286, 287
    unsigned extra;
    if (!br.bits(kLengthExtra[sym], &extra)) return InflateResult::Malformed;
    const std::size_t length = kLengthBase[sym] + extra;
    int dsym;
    if (!decodeSymbol(br, dist, &dsym) || dsym >= 30) return InflateResult::Malformed;
    if (!br.bits(kDistanceExtra[dsym], &extra)) return InflateResult::Malformed;
    const std::size_t distance = kDistanceBase[dsym] + extra;
    if (distance > out->size()) return InflateResult::Malformed;  // before the start of the output
    if (length > maxOutput - out->size()) return InflateResult::TooLarge;
    const std::size_t from = out->size() - distance;
    for (std::size_t i = 0; i < length; ++i) {
      const char c = (*out)[from + i];  // may repeat bytes this copy wrote (distance < length)
      out->push_back(c);
    }
  }
}

const Huffman& fixedLiteralCode() {
  static const Huffman code = [] {
    std::uint8_t lengths[kMaxSymbols];
    for (int i = 0; i < kMaxSymbols; ++i) lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    Huffman h;
    buildHuffman(&h, lengths, kMaxSymbols, false);
    return h;
  }();
  return code;
}

const Huffman& fixedDistanceCode() {
  static const Huffman code = [] {
    // 32 five-bit codes; 30 and 31 are refused where they are used.
    std::uint8_t lengths[32];
    for (auto& l : lengths) l = 5;
    Huffman h;
    buildHuffman(&h, lengths, 32, false);
    return h;
  }();
  return code;
}

InflateResult inflateDynamic(BitReader& br, std::size_t maxOutput, std::string* out) {
  unsigned hlit, hdist, hclen;
  if (!br.bits(5, &hlit) || !br.bits(5, &hdist) || !br.bits(4, &hclen)) return InflateResult::Malformed;
  const int nlen = static_cast<int>(hlit) + 257;
  const int ndist = static_cast<int>(hdist) + 1;
  const int ncode = static_cast<int>(hclen) + 4;
  if (nlen > 286 || ndist > 30) return InflateResult::Malformed;

  static constexpr std::uint8_t kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  std::uint8_t codeLengths[19] = {};
  for (int i = 0; i < ncode; ++i) {
    unsigned len;
    if (!br.bits(3, &len)) return InflateResult::Malformed;
    codeLengths[kOrder[i]] = static_cast<std::uint8_t>(len);
  }
  Huffman lengthCode;
  if (!buildHuffman(&lengthCode, codeLengths, 19, false)) return InflateResult::Malformed;

  std::uint8_t lengths[286 + 30] = {};
  int index = 0;
  while (index < nlen + ndist) {
    int sym;
    if (!decodeSymbol(br, lengthCode, &sym)) return InflateResult::Malformed;
    if (sym < 16) {
      lengths[index++] = static_cast<std::uint8_t>(sym);
      continue;
    }
    std::uint8_t value = 0;
    unsigned repeat;
    if (sym == 16) {  // the previous length, 3-6 times
      if (index == 0 || !br.bits(2, &repeat)) return InflateResult::Malformed;
      value = lengths[index - 1];
      repeat += 3;
    } else if (sym == 17) {  // zeros, 3-10 times
      if (!br.bits(3, &repeat)) return InflateResult::Malformed;
      repeat += 3;
    } else {  // 18: zeros, 11-138 times
      if (!br.bits(7, &repeat)) return InflateResult::Malformed;
      repeat += 11;
    }
    if (index + static_cast<int>(repeat) > nlen + ndist) return InflateResult::Malformed;
    for (unsigned i = 0; i < repeat; ++i) lengths[index++] = value;
  }
  if (lengths[256] == 0) return InflateResult::Malformed;  // no end-of-block code

  Huffman lit, dist;
  if (!buildHuffman(&lit, lengths, nlen, true) || !buildHuffman(&dist, lengths + nlen, ndist, true)) {
    return InflateResult::Malformed;
  }
  return inflateCodes(br, lit, dist, maxOutput, out);
}

InflateResult inflateStored(BitReader& br, std::size_t maxOutput, std::string* out) {
  br.alignToByte();
  std::string_view header, data;
  if (!br.takeBytes(4, &header)) return InflateResult::Malformed;
  const auto byte = [&](int i) { return static_cast<unsigned>(static_cast<unsigned char>(header[i])); };
  const unsigned len = byte(0) | (byte(1) << 8);
  const unsigned nlen = byte(2) | (byte(3) << 8);
  if (len != (~nlen & 0xffffu)) return InflateResult::Malformed;
  if (!br.takeBytes(len, &data)) return InflateResult::Malformed;
  if (len > maxOutput - out->size()) return InflateResult::TooLarge;
  out->append(data.data(), data.size());
  return InflateResult::Ok;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xffffffffu;
  for (const char ch : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::uint32_t adler32(std::string_view bytes) {
  constexpr std::uint32_t kMod = 65521;
  std::uint32_t a = 1, b = 0;
  for (const char ch : bytes) {
    a = (a + static_cast<unsigned char>(ch)) % kMod;
    b = (b + a) % kMod;
  }
  return (b << 16) | a;
}

bool base64Decode(std::string_view text, std::string* out) {
  out->clear();
  if (text.size() % 4 != 0) return false;
  out->reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      int value = 0;
      if (c == '=') {
        // Only in the last two places of the last group.
        if (i + 4 != text.size() || j < 2) return false;
        ++padding;
      } else {
        value = base64Value(c);
        if (value < 0 || padding > 0) return false;
      }
      group = (group << 6) | static_cast<std::uint32_t>(value);
    }
    out->push_back(static_cast<char>(group >> 16));
    if (padding < 2) out->push_back(static_cast<char>(group >> 8));
    if (padding < 1) out->push_back(static_cast<char>(group));
    // The bits no byte uses must be zero.
    if ((padding == 2 && (group & 0xffff) != 0) || (padding == 1 && (group & 0xff) != 0)) return false;
  }
  return true;
}

InflateResult zlibInflate(std::string_view input, std::size_t maxOutput, std::string* out) {
  out->clear();
  // RFC 1950 header: CM = 8 (deflate), CINFO ≤ 7 (window ≤ 32 KiB), FCHECK, no preset dictionary.
  if (input.size() < 2) return InflateResult::Malformed;
  const unsigned cmf = static_cast<unsigned char>(input[0]);
  const unsigned flg = static_cast<unsigned char>(input[1]);
  if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0) {
    return InflateResult::Malformed;
  }
  BitReader br(input.substr(2));
  for (;;) {
    unsigned final, type;
    if (!br.bits(1, &final) || !br.bits(2, &type)) return InflateResult::Malformed;
    InflateResult r = InflateResult::Malformed;
    if (type == 0) {
      r = inflateStored(br, maxOutput, out);
    } else if (type == 1) {
      r = inflateCodes(br, fixedLiteralCode(), fixedDistanceCode(), maxOutput, out);
    } else if (type == 2) {
      r = inflateDynamic(br, maxOutput, out);
    }
    if (r != InflateResult::Ok) return r;
    if (final) break;
  }
  // The Adler-32 of the output, most significant byte first, and nothing after it.
  br.alignToByte();
  std::string_view trailer;
  if (!br.takeBytes(4, &trailer) || !br.atEnd()) return InflateResult::Malformed;
  std::uint32_t expected = 0;
  for (const char c : trailer) expected = (expected << 8) | static_cast<unsigned char>(c);
  return expected == adler32(*out) ? InflateResult::Ok : InflateResult::Malformed;
}

}  // namespace rtm_emulator::token
