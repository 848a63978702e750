// Fixed size and count rules of the RTM 1.x service (shared/rtm-semantics.md §1). Unlike the
// rate limits and timeouts (limits.h), these are not configurable.
#pragma once

#include <cstddef>

namespace rtm_emulator {

constexpr std::size_t kMaxMessageBytes = 32768;          // text, or raw bytes + description
constexpr std::size_t kOfflineCachePerUser = 200;        // cached peer messages per receiver
constexpr int kMaxPeersPerQuery = 256;                   // queryPeersOnlineStatus
constexpr std::size_t kMaxSubscribedPeers = 512;         // per session, in total
constexpr std::size_t kMaxAttributeKeyBytes = 32;
constexpr std::size_t kMaxAttributeValueBytes = 8192;
constexpr std::size_t kMaxUserAttributes = 32;           // per user
constexpr std::size_t kMaxUserAttributeBytes = 16384;    // per user, keys + values
constexpr std::size_t kMaxChannelIdBytes = 64;           // same character set as user ids
constexpr int kMaxJoinedChannels = 20;                   // per client, joined or joining
constexpr std::size_t kMaxMembersListed = 512;           // getMembers (a random choice above)
constexpr std::size_t kMaxChannelAttributes = 32;        // per channel
constexpr std::size_t kMaxChannelAttributeBytes = 32768; // per channel, keys + values
constexpr int kMaxChannelIdsPerCount = 32;               // getChannelMemberCount

}  // namespace rtm_emulator
