// ChannelCore: the cloud's channels, one per ServiceCore. Holds each channel's members (in join
// order, with the ChannelLink and the session Outbox of each), its attributes (kept when the
// channel empties), the member-count throttle, and which channels each user is in. Knows clients
// only as ChannelLinks; answers through the completion functions of ChannelConnection.
//
// Requests and session hooks are called by ServiceCore with its lock held, for a live session
// (ServiceCore::withSession): they fill outboxes and list them in *drains; the caller empties
// them after releasing its lock. ChannelCore's own mutex nests inside ServiceCore's; its timer
// thread (member-count updates) takes only its own. Fan-out is O(members) per message or event,
// with O(1) hash lookups and deque pushes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "client/callback_thread.h"
#include "transport/channel_link.h"
#include "common/limits.h"

namespace rtm_emulator {

class Outbox;
class ServiceCore;

class ChannelCore : public std::enable_shared_from_this<ChannelCore> {
 public:
  using Drains = std::vector<std::shared_ptr<Outbox>>;

  explicit ChannelCore(const Limits& limits);
  ~ChannelCore();
  ChannelCore(const ChannelCore&) = delete;
  ChannelCore& operator=(const ChannelCore&) = delete;

  // --- requests of a live session whose outbox is `out` (see ChannelConnection) ---
  void join(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
            std::shared_ptr<ChannelLink> link, std::function<void(agora::rtm::JOIN_CHANNEL_ERR, int)> done,
            Drains* drains);
  void leave(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
             std::function<void(agora::rtm::LEAVE_CHANNEL_ERR)> done, Drains* drains);
  void sendMessage(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
                   std::shared_ptr<PeerMessageData> message,
                   std::function<void(agora::rtm::CHANNEL_MESSAGE_ERR_CODE)> done, Drains* drains);
  void getMembers(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
                  std::function<void(agora::rtm::GET_MEMBERS_ERR, const std::vector<std::string>&)> done,
                  Drains* drains);
  void writeAttributes(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
                       AttributeWrite op, const AttributeList& attributes, bool notifyMembers,
                       std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR)> done, Drains* drains);
  void getAttributes(const std::shared_ptr<Outbox>& out, const std::string& channelId, bool all,
                     const std::vector<std::string>& keys,
                     std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR, const ChannelAttributeList&)> done,
                     Drains* drains);
  void memberCounts(const std::shared_ptr<Outbox>& out, const std::vector<std::string>& channelIds,
                    std::function<void(const std::vector<int>&)> done, Drains* drains);

  // --- session hooks (ServiceCore, its lock held) ---
  // The user's session ended (logout, kick, remote login, service gone): it leaves every channel
  // (the others see onMemberLeft) and any suspension is forgotten.
  void leaveAll(const std::string& userId, Drains* drains);
  // The session was removed after a link loss (offlineAfterMs): the user leaves its channels as
  // above, and they are remembered for resume().
  void suspend(const std::string& userId, Drains* drains);
  // The suspended user is logged in again by a reconnect: it rejoins those channels (the others
  // see onMemberJoined), as the SDK does after a long outage; no onJoinSuccess.
  void resume(const std::string& userId, const std::shared_ptr<Outbox>& out, Drains* drains);
  // The service closed: everything goes.
  void clear();

  // Member counts of channels, for tests and tools.
  int memberCount(const std::string& channelId) const;
  // Channels with at least one member.
  std::size_t activeChannels() const;
  // Channel messages accepted so far, and their payload bytes.
  std::uint64_t messagesAccepted() const { return messages_.load(std::memory_order_relaxed); }
  std::uint64_t bytesAccepted() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  struct Member {
    std::string userId;
    std::shared_ptr<ChannelLink> link;
    std::shared_ptr<Outbox> out;
    int lastCount = -1;  // the count last reported to this member
  };
  using MemberList = std::list<Member>;
  struct Channel {
    MemberList members;  // join order
    std::unordered_map<std::string, MemberList::iterator> index;
    ChannelAttributeList attributes;
    std::chrono::steady_clock::time_point lastCountAt{};  // last time a count update went out
    bool countTimer = false;                             // an update is scheduled
    std::uint64_t generation = 0;                        // tells a stale timer from a current one
  };
  using ChannelMap = std::unordered_map<std::string, Channel>;
  std::atomic<std::uint64_t> messages_{0};
  std::atomic<std::uint64_t> bytes_{0};
  using Suspension = std::vector<std::pair<std::string, std::shared_ptr<ChannelLink>>>;

  Channel& channelLocked(const std::string& channelId);
  void addMemberLocked(const std::string& channelId, Channel& ch, const std::string& userId,
                       std::shared_ptr<ChannelLink> link, const std::shared_ptr<Outbox>& out, Drains* drains);
  // Removes the member (the others see onMemberLeft while the channel is small enough); returns
  // its link. The channel may be erased: `it` is invalid afterwards.
  std::shared_ptr<ChannelLink> removeMemberLocked(ChannelMap::iterator it, const std::string& userId, Drains* drains);
  void countChangedLocked(const std::string& channelId, Channel& ch, Drains* drains);
  // Sends the current count to every member that has not had it; false when nobody needed it.
  bool broadcastCountLocked(Channel& ch, Drains* drains);
  void onCountTimer(const std::string& channelId, std::uint64_t generation);
  void eraseIfUnusedLocked(ChannelMap::iterator it);
  std::chrono::milliseconds countIntervalLocked(const Channel& ch) const;
  bool smallLocked(std::size_t members) const;  // member events are sent at this size

  const Limits limits_;
  mutable std::mutex mu_;
  std::uint64_t nextGeneration_ = 1;
  ChannelMap channels_;
  std::unordered_map<std::string, std::unordered_set<std::string>> joined_;  // user -> channel ids
  std::unordered_map<std::string, Suspension> suspended_;
  std::mt19937 random_;
  CallbackThread timers_;  // member-count updates; started on first use
};

// The ChannelConnection of an in-process client: requests checked against the session by
// ServiceCore::withSession and handed to the core's ChannelCore. A null core never answers.
std::shared_ptr<ChannelConnection> makeInProcessChannelConnection(std::shared_ptr<ServiceCore> core);

}  // namespace rtm_emulator
