#include "client/identifiers.h"

#include <algorithm>
#include <cstring>

#include "common/rules.h"

namespace rtm_emulator {
namespace {

constexpr std::size_t kMaxUserIdBytes = 64;

// The characters an id may hold, as a table (one load per character: every sendMessageToPeer
// checks its peer id).
struct IdChars {
  bool allowed[256] = {};
  IdChars() {
    for (int c = 'a'; c <= 'z'; ++c) allowed[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) allowed[c] = true;
    for (int c = '0'; c <= '9'; ++c) allowed[c] = true;
    allowed[static_cast<unsigned char>(' ')] = true;
    for (const char* m = "!#$%&()+-:;<=.>?@[]^_{}|~,"; *m != '\0'; ++m) allowed[static_cast<unsigned char>(*m)] = true;
  }
};

bool isAllowedIdChar(unsigned char c) {
  static const IdChars kIdChars;
  return kIdChars.allowed[c];
}

}  // namespace

bool isValidUserId(const char* userId) {
  if (userId == nullptr) return false;
  const std::size_t n = std::strlen(userId);
  if (n == 0 || n > kMaxUserIdBytes) return false;
  if (std::strcmp(userId, "null") == 0) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!isAllowedIdChar(static_cast<unsigned char>(userId[i]))) return false;
  }
  return true;
}

}  // namespace rtm_emulator

namespace rtm_emulator {

bool isValidChannelId(const char* channelId) {
  static_assert(kMaxChannelIdBytes == kMaxUserIdBytes, "channel ids follow the user-id rules");
  return isValidUserId(channelId);
}

bool isValidAttributeKey(const char* key) {
  if (key == nullptr) return false;
  const std::size_t n = std::strlen(key);
  return n > 0 && n <= kMaxAttributeKeyBytes;
}

bool collectKeys(const char* keys[], int count, std::vector<std::string>* out) {
  if (count <= 0 || keys == nullptr) return false;
  for (int i = 0; i < count; ++i) {
    if (!isValidAttributeKey(keys[i])) return false;
  }
  for (int i = 0; i < count; ++i) {
    if (std::find(out->begin(), out->end(), keys[i]) == out->end()) out->emplace_back(keys[i]);
  }
  return true;
}

}  // namespace rtm_emulator
