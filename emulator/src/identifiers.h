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

// An attribute key: 1..32 bytes, visible ASCII only (0x21..0x7E).
bool isValidAttributeKey(const char* key);

// Keys of a delete / get-by-keys call (user or channel attributes), appended to *out with
// duplicates dropped; false when count is negative, keys is missing or a key is invalid.
bool collectKeys(const char* keys[], int count, std::vector<std::string>* out);

}  // namespace rtm_emulator
