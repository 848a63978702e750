// Local checks on identifiers that the real SDK performs before sending anything.
#pragma once

namespace rtm_emulator {

// A user id as login() accepts it: 1..64 bytes, not the literal "null", only the documented
// ASCII set (letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,).
bool isValidUserId(const char* userId);

}  // namespace rtm_emulator
