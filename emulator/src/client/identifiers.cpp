#include "client/identifiers.h"

#include <algorithm>
#include <cstring>

#include "common/rules.h"

namespace rtm_emulator {
namespace {

constexpr std::size_t kMaxUserIdBytes = 64;

bool isAllowedIdChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ') return true;
  static const char kMarks[] = "!#$%&()+-:;<=.>?@[]^_{}|~,";
  return c != 0 && std::strchr(kMarks, static_cast<char>(c)) != nullptr;
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
