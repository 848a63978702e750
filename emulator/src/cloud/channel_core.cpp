#include "cloud/channel_core.h"

#include <algorithm>
#include <utility>

#include "common/rules.h"
#include "cloud/service_core.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

std::size_t attributeBytes(const ChannelAttributeList& list) {
  std::size_t n = 0;
  for (const auto& a : list) n += a.key.size() + a.value.size();
  return n;
}

// Sets key to value (written by userId at ts), keeping the position of an existing key.
void upsert(ChannelAttributeList* list, const std::string& key, const std::string& value, const std::string& userId,
            long long ts) {
  for (auto& a : *list) {
    if (a.key == key) {
      a.value = value;
      a.lastUpdateUserId = userId;
      a.lastUpdateTs = ts;
      return;
    }
  }
  list->push_back(ChannelAttributeData{key, value, userId, ts});
}

void push(const std::shared_ptr<Outbox>& out, Outbox::Item item, ChannelCore::Drains* drains) {
  // Inside a pump run the push queues the drain itself (for the run's end): nothing to list.
  if (out->pushQueuingDrain(std::move(item))) drains->push_back(out);
}

}  // namespace

ChannelCore::ChannelCore(const Limits& limits) : limits_(limits), random_(std::random_device{}()) {}

ChannelCore::~ChannelCore() = default;

bool ChannelCore::smallLocked(std::size_t members) const {
  return members <= static_cast<std::size_t>(limits_.memberEventsMaxMembers);
}

std::chrono::milliseconds ChannelCore::countIntervalLocked(const Channel& ch) const {
  return std::chrono::milliseconds(smallLocked(ch.members.size()) ? limits_.memberCountIntervalMs
                                                                  : limits_.memberCountLargeIntervalMs);
}

ChannelCore::Channel& ChannelCore::channelLocked(const std::string& channelId) {
  auto it = channels_.find(channelId);
  if (it != channels_.end()) return it->second;
  Channel& ch = channels_[channelId];
  ch.generation = nextGeneration_++;
  return ch;
}

void ChannelCore::eraseIfUnusedLocked(ChannelMap::iterator it) {
  const Channel& ch = it->second;
  // Attributes outlive the members; a scheduled count update keeps the record until it ran.
  if (ch.members.empty() && ch.attributes.empty() && !ch.countTimer) channels_.erase(it);
}

// ---------------------------------------------------------------------------------------------
// Members

void ChannelCore::addMemberLocked(const std::string& channelId, Channel& ch, const std::string& userId,
                                  std::shared_ptr<ChannelLink> link, const std::shared_ptr<Outbox>& out,
                                  Drains* drains) {
  ch.members.push_back(Member{userId, std::move(link), out, -1});
  ch.index[userId] = std::prev(ch.members.end());
  joined_[userId].insert(channelId);
  if (smallLocked(ch.members.size())) {
    for (auto m = ch.members.begin(); std::next(m) != ch.members.end(); ++m) {
      push(m->out, [link = m->link, userId] { link->onMemberJoined(userId); }, drains);
    }
  }
}

std::shared_ptr<ChannelLink> ChannelCore::removeMemberLocked(ChannelMap::iterator it, const std::string& userId,
                                                             Drains* drains) {
  Channel& ch = it->second;
  auto found = ch.index.find(userId);
  if (found == ch.index.end()) return nullptr;
  const bool small = smallLocked(ch.members.size());  // counted with the leaver
  std::shared_ptr<ChannelLink> link = std::move(found->second->link);
  ch.members.erase(found->second);
  ch.index.erase(found);
  auto user = joined_.find(userId);
  if (user != joined_.end()) {
    user->second.erase(it->first);
    if (user->second.empty()) joined_.erase(user);
  }
  if (small) {
    for (Member& m : ch.members) push(m.out, [link = m.link, userId] { link->onMemberLeft(userId); }, drains);
  }
  countChangedLocked(it->first, ch, drains);
  eraseIfUnusedLocked(it);
  return link;
}

void ChannelCore::join(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
                       std::shared_ptr<ChannelLink> link, std::function<void(JOIN_CHANNEL_ERR, int)> done,
                       Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  suspended_.erase(userId);  // a join after a fresh login: nothing to resume any more
  Channel& ch = channelLocked(channelId);
  auto found = ch.index.find(userId);
  if (found != ch.index.end()) {
    // Already a member (the client lost track of it): the new link takes over, no event.
    found->second->link = std::move(link);
    found->second->out = out;
  } else {
    addMemberLocked(channelId, ch, userId, std::move(link), out, drains);
  }
  // The joiner learns the count with the answer; the others with the next count update.
  const int count = static_cast<int>(ch.members.size());
  ch.index[userId]->lastCount = count;
  push(out, [done = std::move(done), count] { done(JOIN_CHANNEL_ERR_OK, count); }, drains);
  countChangedLocked(channelId, ch, drains);
}

void ChannelCore::leave(const std::string& userId, const std::shared_ptr<Outbox>& out, const std::string& channelId,
                        std::function<void(LEAVE_CHANNEL_ERR)> done, Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  LEAVE_CHANNEL_ERR code = LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL;
  auto it = channels_.find(channelId);
  if (it != channels_.end() && removeMemberLocked(it, userId, drains) != nullptr) code = LEAVE_CHANNEL_ERR_OK;
  push(out, [done = std::move(done), code] { done(code); }, drains);
}

void ChannelCore::leaveAll(const std::string& userId, Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  suspended_.erase(userId);
  auto user = joined_.find(userId);
  if (user == joined_.end()) return;
  const std::vector<std::string> ids(user->second.begin(), user->second.end());
  for (const std::string& id : ids) {
    auto it = channels_.find(id);
    if (it != channels_.end()) removeMemberLocked(it, userId, drains);
  }
  joined_.erase(userId);
}

void ChannelCore::suspend(const std::string& userId, Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  auto user = joined_.find(userId);
  if (user == joined_.end()) return;
  const std::vector<std::string> ids(user->second.begin(), user->second.end());
  Suspension suspension;
  for (const std::string& id : ids) {
    auto it = channels_.find(id);
    if (it == channels_.end()) continue;
    std::shared_ptr<ChannelLink> link = removeMemberLocked(it, userId, drains);
    if (link) suspension.emplace_back(id, std::move(link));
  }
  joined_.erase(userId);
  suspended_[userId] = std::move(suspension);
}

void ChannelCore::resume(const std::string& userId, const std::shared_ptr<Outbox>& out, Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = suspended_.find(userId);
  if (s == suspended_.end()) return;
  Suspension suspension = std::move(s->second);
  suspended_.erase(s);
  for (auto& entry : suspension) {
    Channel& ch = channelLocked(entry.first);
    if (ch.index.count(userId) != 0) continue;
    addMemberLocked(entry.first, ch, userId, std::move(entry.second), out, drains);
    countChangedLocked(entry.first, ch, drains);
  }
}

void ChannelCore::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  channels_.clear();
  joined_.clear();
  suspended_.clear();
}

int ChannelCore::memberCount(const std::string& channelId) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = channels_.find(channelId);
  return it == channels_.end() ? 0 : static_cast<int>(it->second.members.size());
}

void ChannelCore::getMembers(const std::string& userId, const std::shared_ptr<Outbox>& out,
                             const std::string& channelId,
                             std::function<void(GET_MEMBERS_ERR, const std::vector<std::string>&)> done,
                             Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  GET_MEMBERS_ERR code = GET_MEMBERS_ERR_NOT_IN_CHANNEL;
  std::vector<std::string> ids;
  auto it = channels_.find(channelId);
  if (it != channels_.end() && it->second.index.count(userId) != 0) {
    code = GET_MEMBERS_ERR_OK;
    const MemberList& members = it->second.members;
    if (members.size() <= kMaxMembersListed) {
      ids.reserve(members.size());
      for (const Member& m : members) ids.push_back(m.userId);  // join order
    } else {
      // The caller, then others chosen at random (in join order).
      ids.reserve(kMaxMembersListed);
      ids.push_back(userId);
      std::vector<const std::string*> others;
      others.reserve(members.size() - 1);
      for (const Member& m : members) {
        if (m.userId != userId) others.push_back(&m.userId);
      }
      std::vector<const std::string*> chosen;
      std::sample(others.begin(), others.end(), std::back_inserter(chosen), kMaxMembersListed - 1, random_);
      for (const std::string* id : chosen) ids.push_back(*id);
    }
  }
  push(out, [done = std::move(done), code, ids = std::move(ids)] { done(code, ids); }, drains);
}

// ---------------------------------------------------------------------------------------------
// Member counts

bool ChannelCore::broadcastCountLocked(Channel& ch, Drains* drains) {
  const int count = static_cast<int>(ch.members.size());
  bool sent = false;
  for (Member& m : ch.members) {
    if (m.lastCount == count) continue;
    m.lastCount = count;
    push(m.out, [link = m.link, count] { link->onMemberCountUpdated(count); }, drains);
    sent = true;
  }
  return sent;
}

void ChannelCore::countChangedLocked(const std::string& channelId, Channel& ch, Drains* drains) {
  if (ch.countTimer || ch.members.empty()) return;  // the scheduled update reports the latest count
  const auto now = std::chrono::steady_clock::now();
  const auto interval = countIntervalLocked(ch);
  if (ch.lastCountAt == std::chrono::steady_clock::time_point{} || now - ch.lastCountAt >= interval) {
    if (broadcastCountLocked(ch, drains)) ch.lastCountAt = now;
    return;
  }
  // Within the interval since the last update: one update at its end, with the count then.
  ch.countTimer = true;
  const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(ch.lastCountAt + interval - now);
  timers_.start();
  std::weak_ptr<ChannelCore> weak = weak_from_this();
  timers_.postAfter(delay + std::chrono::milliseconds(1), [weak, channelId, generation = ch.generation] {
    if (std::shared_ptr<ChannelCore> core = weak.lock()) core->onCountTimer(channelId, generation);
  });
}

void ChannelCore::onCountTimer(const std::string& channelId, std::uint64_t generation) {
  Drains drains;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = channels_.find(channelId);
    if (it == channels_.end() || it->second.generation != generation) return;
    Channel& ch = it->second;
    ch.countTimer = false;
    if (broadcastCountLocked(ch, &drains)) ch.lastCountAt = std::chrono::steady_clock::now();
    eraseIfUnusedLocked(it);
  }
  for (auto& out : drains) out->drain();
}

void ChannelCore::memberCounts(const std::shared_ptr<Outbox>& out, const std::vector<std::string>& channelIds,
                               std::function<void(const std::vector<int>&)> done, Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> counts;
  counts.reserve(channelIds.size());
  for (const std::string& id : channelIds) {
    auto it = channels_.find(id);
    counts.push_back(it == channels_.end() ? 0 : static_cast<int>(it->second.members.size()));
  }
  push(out, [done = std::move(done), counts = std::move(counts)] { done(counts); }, drains);
}

// ---------------------------------------------------------------------------------------------
// Messages

void ChannelCore::sendMessage(const std::string& userId, const std::shared_ptr<Outbox>& out,
                              const std::string& channelId, std::shared_ptr<PeerMessageData> message,
                              std::function<void(CHANNEL_MESSAGE_ERR_CODE)> done, Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = channels_.find(channelId);
  if (it == channels_.end() || it->second.index.count(userId) == 0) {
    push(out, [done = std::move(done)] { done(CHANNEL_MESSAGE_ERR_FAILURE); }, drains);
    return;
  }
  message->serverReceivedTs = batchNowMs();
  messages_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(message->text.size() + message->raw.size(), std::memory_order_relaxed);
  std::shared_ptr<const PeerMessageData> msg = std::move(message);
  for (Member& m : it->second.members) {
    if (m.userId == userId) continue;  // the sender gets no copy
    // (Init-captures: a copied const& would be a const member, not nothrow-movable: on the heap.)
    push(m.out, [link = m.link, userId = std::string(userId), msg] { link->onChannelMessage(userId, msg); }, drains);
  }
  push(out, [done = std::move(done)] { done(CHANNEL_MESSAGE_ERR_OK); }, drains);
}

std::size_t ChannelCore::activeChannels() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const auto& entry : channels_) n += entry.second.members.empty() ? 0 : 1;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Attributes

void ChannelCore::writeAttributes(const std::string& userId, const std::shared_ptr<Outbox>& out,
                                  const std::string& channelId, AttributeWrite op, const AttributeList& attributes,
                                  bool notifyMembers, std::function<void(ATTRIBUTE_OPERATION_ERR)> done,
                                  Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  Channel& ch = channelLocked(channelId);
  const long long ts = nowMs();
  ChannelAttributeList result;
  switch (op) {
    case AttributeWrite::Set:
      for (const auto& kv : attributes) upsert(&result, kv.first, kv.second, userId, ts);
      break;
    case AttributeWrite::AddOrUpdate:
      result = ch.attributes;
      for (const auto& kv : attributes) upsert(&result, kv.first, kv.second, userId, ts);
      break;
    case AttributeWrite::Delete:
      for (const auto& a : ch.attributes) {
        const bool doomed = std::any_of(attributes.begin(), attributes.end(),
                                        [&](const std::pair<std::string, std::string>& d) { return d.first == a.key; });
        if (!doomed) result.push_back(a);
      }
      break;
    case AttributeWrite::Clear:
      break;
  }
  ATTRIBUTE_OPERATION_ERR code = ATTRIBUTE_OPERATION_ERR_OK;
  if (result.size() > kMaxChannelAttributes || attributeBytes(result) > kMaxChannelAttributeBytes) {
    code = ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;  // nothing changes
  } else {
    ch.attributes = std::move(result);
  }
  // The writer's result first; then, if asked, every member (the writer too, when it is one)
  // gets the full set.
  push(out, [done = std::move(done), code] { done(code); }, drains);
  if (code == ATTRIBUTE_OPERATION_ERR_OK && notifyMembers && !ch.members.empty()) {
    auto snapshot = std::make_shared<const ChannelAttributeList>(ch.attributes);
    for (Member& m : ch.members) {
      push(m.out, [link = m.link, snapshot] { link->onAttributesUpdated(snapshot); }, drains);
    }
  }
  eraseIfUnusedLocked(channels_.find(channelId));
}

void ChannelCore::getAttributes(const std::shared_ptr<Outbox>& out, const std::string& channelId, bool all,
                                const std::vector<std::string>& keys,
                                std::function<void(ATTRIBUTE_OPERATION_ERR, const ChannelAttributeList&)> done,
                                Drains* drains) {
  std::lock_guard<std::mutex> lock(mu_);
  ChannelAttributeList result;
  auto it = channels_.find(channelId);
  if (it != channels_.end()) {
    for (const auto& a : it->second.attributes) {
      if (all || std::find(keys.begin(), keys.end(), a.key) != keys.end()) result.push_back(a);
    }
  }
  push(out, [done = std::move(done), result = std::move(result)] { done(ATTRIBUTE_OPERATION_ERR_OK, result); },
       drains);
}

// ---------------------------------------------------------------------------------------------
// In-process connection

namespace {

class InProcessChannels final : public ChannelConnection {
 public:
  explicit InProcessChannels(std::shared_ptr<ServiceCore> core) : core_(std::move(core)) {}

  void joinChannel(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                   std::shared_ptr<ChannelLink> link, std::function<void(JOIN_CHANNEL_ERR, int)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().join(userId, out, channelId, std::move(link), std::move(done), drains);
    });
  }

  void leaveChannel(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                    std::function<void(LEAVE_CHANNEL_ERR)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().leave(userId, out, channelId, std::move(done), drains);
    });
  }

  void sendChannelMessage(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                          std::shared_ptr<PeerMessageData> message,
                          std::function<void(CHANNEL_MESSAGE_ERR_CODE)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().sendMessage(userId, out, channelId, std::move(message), std::move(done), drains);
    });
  }

  void getChannelMembers(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                         std::function<void(GET_MEMBERS_ERR, const std::vector<std::string>&)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().getMembers(userId, out, channelId, std::move(done), drains);
    });
  }

  void writeChannelAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                              AttributeWrite op, AttributeList attributes, bool notifyMembers,
                              std::function<void(ATTRIBUTE_OPERATION_ERR)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().writeAttributes(userId, out, channelId, op, attributes, notifyMembers, std::move(done),
                                        drains);
    });
  }

  void getChannelAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                            bool all, std::vector<std::string> keys,
                            std::function<void(ATTRIBUTE_OPERATION_ERR, const ChannelAttributeList&)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().getAttributes(out, channelId, all, keys, std::move(done), drains);
    });
  }

  void getChannelMemberCounts(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> channelIds,
                              std::function<void(const std::vector<int>&)> done) override {
    run(userId, sessionId, [&](const std::shared_ptr<Outbox>& out, ChannelCore::Drains* drains) {
      core_->channels().memberCounts(out, channelIds, std::move(done), drains);
    });
  }

 private:
  template <typename F>
  void run(const std::string& userId, std::uint64_t sessionId, F&& f) {
    if (core_) core_->withSession(userId, sessionId, f);
  }

  std::shared_ptr<ServiceCore> core_;
};

}  // namespace

std::shared_ptr<ChannelConnection> makeInProcessChannelConnection(std::shared_ptr<ServiceCore> core) {
  return std::make_shared<InProcessChannels>(std::move(core));
}

}  // namespace rtm_emulator
