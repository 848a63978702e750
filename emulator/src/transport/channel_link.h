// The channel half of the boundary between a client and the emulated cloud (session_link.h has
// the session half, invitation_link.h the call invitations). Client -> cloud: ChannelConnection,
// reached through ServiceConnection::channels(). Cloud -> client: one ChannelLink per joined
// channel of a session, handed over with the join. Everything the cloud sends to a session
// (answers and channel pushes) travels through that session's one ordered stream, so a transport
// can later multiplex these messages over the session's connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agora_rtm.h"
#include "transport/session_link.h"

namespace rtm_emulator {

// One channel attribute as the cloud keeps it.
struct ChannelAttributeData {
  std::string key;
  std::string value;
  std::string lastUpdateUserId;  // who wrote it last
  long long lastUpdateTs = 0;    // when (ms since the Unix epoch)
};

// A channel's attributes in the order their keys were first set.
using ChannelAttributeList = std::vector<ChannelAttributeData>;

// Cloud -> client: the pushes of one joined channel of one session. Called in the order the cloud
// produced them (after the join's answer, before the session's later answers); must not block and
// must not call back into the cloud synchronously.
class ChannelLink {
 public:
  virtual ~ChannelLink() = default;
  virtual void onMemberJoined(const std::string& userId) = 0;
  virtual void onMemberLeft(const std::string& userId) = 0;
  // A message another member sent to the channel (the sender never gets its own).
  virtual void onChannelMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message) = 0;
  // The channel's full attribute set after a write that asked to notify the members.
  virtual void onAttributesUpdated(const std::shared_ptr<const ChannelAttributeList>& attributes) = 0;
  virtual void onMemberCountUpdated(int memberCount) = 0;
};

// Client -> cloud: channel requests of a session (user id + session id; a stale session gets no
// answer). Answers arrive through the completion functions, possibly on another thread, possibly
// never: the client runs its own timeouts.
class ChannelConnection {
 public:
  virtual ~ChannelConnection() = default;
  // On success `memberCount` is the channel's count including the joiner; from then on `link`
  // receives the channel's pushes until the user leaves the channel or the session ends.
  virtual void joinChannel(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                           std::shared_ptr<ChannelLink> link,
                           std::function<void(agora::rtm::JOIN_CHANNEL_ERR, int memberCount)> done) = 0;
  virtual void leaveChannel(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                            std::function<void(agora::rtm::LEAVE_CHANNEL_ERR)> done) = 0;
  // OK once the cloud took the message (it is then on its way to every other member).
  virtual void sendChannelMessage(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                                  std::shared_ptr<PeerMessageData> message,
                                  std::function<void(agora::rtm::CHANNEL_MESSAGE_ERR_CODE)> done) = 0;
  // The members (the caller included), at most kMaxMembersListed of them.
  virtual void getChannelMembers(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                                 std::function<void(agora::rtm::GET_MEMBERS_ERR, const std::vector<std::string>&)> done) = 0;
  // Channel attribute writes: `attributes` holds the pairs (Set, AddOrUpdate) or the keys in
  // .first (Delete); Clear uses neither. With `notifyMembers`, every member of the channel gets
  // onAttributesUpdated with the full set after the change.
  virtual void writeChannelAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                                      AttributeWrite op, AttributeList attributes, bool notifyMembers,
                                      std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR)> done) = 0;
  // All attributes of the channel (`all`), else those of `keys`; in the channel's order.
  virtual void getChannelAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                                    bool all, std::vector<std::string> keys,
                                    std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR, const ChannelAttributeList&)> done) = 0;
  // The member count of each channel, in the order asked (0 for a channel nobody is in).
  virtual void getChannelMemberCounts(const std::string& userId, std::uint64_t sessionId,
                                      std::vector<std::string> channelIds,
                                      std::function<void(const std::vector<int>&)> done) = 0;
};

}  // namespace rtm_emulator
