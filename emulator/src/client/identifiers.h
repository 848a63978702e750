// Local checks on identifiers that the real SDK performs before sending anything.
#pragma once

#include <string>
#include <vector>

namespace rtm_emulator {

// A user id as login() accepts it: 1..64 bytes, not the literal "null", only the documented
// ASCII set (letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,).
// The same rule applies to peer ids (messages, presence) and to getUserAttributes' user id.
bool isValidUserId(const char* userId);

// A channel id: the user-id rules (1..64 bytes, not "null", the same character set).
bool isValidChannelId(const char* channelId);

// An attribute key: 1..32 bytes. Observed: the SDK accepts any characters (a space, a tab).
bool isValidAttributeKey(const char* key);

// Keys of a delete / get-by-keys call (user or channel attributes), appended to *out with
// duplicates dropped; false when count is not positive (observed: an empty list is
// INVALID_ARGUMENT), keys is missing or a key is invalid.
bool collectKeys(const char* keys[], int count, std::vector<std::string>* out);

// The local checks of the attributes of a write (user or channel), in the SDK's terms:
enum class AttributeCheck {
  kOk,
  kBadList,   // no attributes (count <= 0) or no array: INVALID_ARGUMENT, request id untouched
  kBadItem,   // an empty or too long key, an empty value: INVALID_ARGUMENT, request id written
  kOverflow,  // a value over 8 KB, or over the per-user / per-channel totals by itself: accepted,
              // then the result callback with SIZE_OVERFLOW (observed for a value of 8 193 bytes)
};

}  // namespace rtm_emulator
