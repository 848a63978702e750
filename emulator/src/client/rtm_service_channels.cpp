// RtmServiceImpl, channel part: createChannel, the IChannel requests (reached from ChannelImpl
// through the ServiceAnchor), the channel pushes, channel attributes and member counts.
//
// Channel requests use the service's request pipeline (queued while CONNECTING / while the link
// is down, sent from the callback thread, answered or timed out), with results for the channel's
// handler instead of the service's. Channel state (ChannelState::status / attempt) is guarded by
// the service's mutex and changes when the callback reporting it is queued.
#include <algorithm>
#include <cstring>
#include <utility>

#include "client/channel_attribute_impl.h"
#include "client/channel_impl.h"
#include "transport/channel_link.h"
#include "client/channel_member_impl.h"
#include "client/client_link.h"
#include "client/identifiers.h"
#include "client/message_impl.h"
#include "client/request_answers.h"
#include "client/rtm_service_impl.h"
#include "common/rules.h"
#include "client/service_anchor.h"

namespace rtm_emulator {

using namespace agora::rtm;
using Status = ChannelState::Status;
using ChannelResult = std::function<void(RtmServiceImpl&)>;

namespace {

// Channel attributes handed to a callback: created for it, released when it returns.
class AttributeArray {
 public:
  explicit AttributeArray(const ChannelAttributeList& list) {
    objects_.reserve(list.size());
    pointers_.reserve(list.size());
    for (const ChannelAttributeData& a : list) {
      objects_.push_back(new ChannelAttributeImpl(a.key, a.value, a.lastUpdateUserId, a.lastUpdateTs));
      pointers_.push_back(objects_.back());
    }
  }
  ~AttributeArray() {
    for (ChannelAttributeImpl* a : objects_) a->release();
  }
  AttributeArray(const AttributeArray&) = delete;
  AttributeArray& operator=(const AttributeArray&) = delete;

  const IRtmChannelAttribute** data() { return pointers_.empty() ? nullptr : pointers_.data(); }
  int size() const { return static_cast<int>(pointers_.size()); }

 private:
  std::vector<ChannelAttributeImpl*> objects_;
  std::vector<const IRtmChannelAttribute*> pointers_;
};

// The ChannelLink of one join attempt: forwards the channel's pushes to the client (through the
// session's ClientLink, so nothing reaches a logged-out or released client), tagged with the
// attempt so that pushes for an earlier membership are recognised and dropped.
class ChannelLinkImpl final : public ChannelLink {
 public:
  ChannelLinkImpl(std::shared_ptr<ClientLink> session, const std::shared_ptr<ChannelState>& channel,
                  std::uint64_t attempt)
      : session_(std::move(session)), channel_(channel), channelId_(channel->id), attempt_(attempt) {}

  void onMemberJoined(const std::string& userId) override {
    forward([userId, channelId = channelId_](IChannelEventHandler* h) {
      auto* member = new ChannelMemberImpl(userId, channelId);
      h->onMemberJoined(member);
      member->destroy();
    });
  }

  void onMemberLeft(const std::string& userId) override {
    forward([userId, channelId = channelId_](IChannelEventHandler* h) {
      auto* member = new ChannelMemberImpl(userId, channelId);
      h->onMemberLeft(member);
      member->destroy();
    });
  }

  void onChannelMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message) override {
    std::shared_ptr<ChannelState> channel = channel_.lock();
    if (!channel) return;  // the object is gone
    RtmServiceImpl* claimed = nullptr;
    session_->forward([&](RtmServiceImpl& client, std::uint64_t epoch) {
      if (client.handleChannelMessage(epoch, channel, attempt_, senderId, message)) claimed = &client;
    });
    // Outside the link's lock; the claimed strand keeps the client alive meanwhile.
    if (claimed != nullptr) claimed->deliverClaimedChannelMessage(channel, senderId, *message);
  }

  void onAttributesUpdated(const std::shared_ptr<const ChannelAttributeList>& attributes) override {
    forward([attributes](IChannelEventHandler* h) {
      AttributeArray array(*attributes);
      h->onAttributesUpdated(array.data(), array.size());
    });
  }

  void onMemberCountUpdated(int memberCount) override {
    forward([memberCount](IChannelEventHandler* h) { h->onMemberCountUpdated(memberCount); });
  }

 private:
  void forward(RtmServiceImpl::ChannelCall call) {
    std::shared_ptr<ChannelState> channel = channel_.lock();
    if (!channel) return;  // the object is gone
    session_->forward([&](RtmServiceImpl& client, std::uint64_t epoch) {
      client.handleChannelPush(epoch, channel, attempt_, std::move(call));
    });
  }

  const std::shared_ptr<ClientLink> session_;
  const std::weak_ptr<ChannelState> channel_;
  const std::string channelId_;
  const std::uint64_t attempt_;
};

// Delivers the service's answer to the pending channel request `key`: makeResult(args...) gives
// what to do with the client's mutex held. batchable: a request the pump sends as batchable,
// whose answer on the pump's own thread waits for the pump to settle its answers.
template <bool batchable = false, typename MakeResult>
auto channelAnswerTo(const std::shared_ptr<ClientLink>& link, std::uint64_t key, MakeResult makeResult) {
  return [link, key, makeResult](auto&&... args) {
    const ChannelResult result = makeResult(args...);
    if (batchable && RtmServiceImpl::completeChannelOnOwnPump(*link, key, result)) return;
    link->forward([&](RtmServiceImpl& client, std::uint64_t epoch) { client.completeChannelRequest(epoch, key, result); });
  };
}

// Attributes of a channel-attribute write: what the arguments alone show (see AttributeCheck;
// the call's own distinct keys are also checked against the per-channel totals).
AttributeCheck collectChannelAttributes(const IRtmChannelAttribute* attributes[], int count, AttributeList* out) {
  if (count <= 0 || attributes == nullptr) return AttributeCheck::kBadList;
  for (int i = 0; i < count; ++i) {
    if (attributes[i] == nullptr) return AttributeCheck::kBadList;
    if (!isValidAttributeKey(attributes[i]->getKey())) return AttributeCheck::kBadItem;
    const char* value = attributes[i]->getValue();
    if (value == nullptr || value[0] == '\0') return AttributeCheck::kBadItem;
  }
  AttributeList merged;
  for (int i = 0; i < count; ++i) {
    const char* key = attributes[i]->getKey();
    const char* value = attributes[i]->getValue();
    if (std::strlen(value) > kMaxAttributeValueBytes) return AttributeCheck::kOverflow;
    bool replaced = false;
    for (auto& kv : merged) {
      if (kv.first == key) {
        kv.second = value;  // a repeated key: the last value wins
        replaced = true;
        break;
      }
    }
    if (!replaced) merged.emplace_back(key, value);
  }
  std::size_t bytes = 0;
  for (const auto& kv : merged) bytes += kv.first.size() + kv.second.size();
  if (merged.size() > kMaxChannelAttributes || bytes > kMaxChannelAttributeBytes) return AttributeCheck::kOverflow;
  *out = std::move(merged);
  return AttributeCheck::kOk;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Channel objects

IChannel* RtmServiceImpl::createChannel(const char* channelId, IChannelEventHandler* eventHandler) {
  // The header's contract: NULL for an invalid id, or when this service already has a channel
  // object with that id that is not released. (The v1.2.2 binary was observed to check neither,
  // at least before login.) Allowed before initialize and login; a NULL handler is accepted.
  if (!isValidChannelId(channelId)) return nullptr;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  std::shared_ptr<ChannelState>& slot = channels_[channelId];
  if (slot) return nullptr;
  slot = std::make_shared<ChannelState>(channelId, eventHandler);
  return new ChannelImpl(anchor_, slot);
}

void RtmServiceImpl::channelReleased(const std::shared_ptr<ChannelState>& channel) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  auto it = channels_.find(channel->id);
  if (it != channels_.end() && it->second == channel) channels_.erase(it);
  if (channel->status == Status::kIdle) return;
  // Joined or joining: the user leaves (the others see onMemberLeft), silently.
  channel->status = Status::kIdle;
  ++channel->attempt;
  if (loggedInLocked()) submitChannelLeaveLocked(channel->id);
}

void RtmServiceImpl::resetChannelsLocked() {
  for (auto& entry : channels_) {
    ChannelState& channel = *entry.second;
    if (channel.status == Status::kIdle) continue;
    channel.status = Status::kIdle;
    ++channel.attempt;
  }
}

void RtmServiceImpl::emitChannelLocked(const std::shared_ptr<ChannelState>& channel, ChannelCall call) {
  thread_.post([channel, call = std::move(call)] { channel->deliver(call); });
}

std::uint64_t RtmServiceImpl::submitChannelLocked(int timeoutMs, std::function<void()> onTimeoutLocked,
                                                  RequestFn run, bool batchable, Caller caller) {
  const std::uint64_t key = submitLocked(timeoutMs, HandlerCall(), std::move(run), batchable, caller);
  pending_.find(key)->onTimeoutLocked = std::move(onTimeoutLocked);
  return key;
}

void RtmServiceImpl::completeChannelRequest(std::uint64_t epoch, std::uint64_t key, const ChannelResult& result) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (pending_.erase(key) == 0) return;  // timed out already
  if (result) result(*this);
}

void RtmServiceImpl::submitChannelLeaveLocked(const std::string& channelId) {
  submitChannelLocked(
      limits_.joinTimeoutMs, [] {},
      [channelId](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->leaveChannel(c.userId, c.sessionId, channelId,
                               channelAnswerTo(c.link, key, [](LEAVE_CHANNEL_ERR) { return ChannelResult(); }));
      });
}

// ---------------------------------------------------------------------------------------------
// join / leave

int RtmServiceImpl::joinChannel(const std::shared_ptr<ChannelState>& channel) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (channel->status != Status::kIdle) return JOIN_CHANNEL_ERR_ALREADY_JOINED;
  int busy = 0;
  for (const auto& entry : channels_) {
    if (entry.second->status != Status::kIdle) ++busy;
  }
  if (busy >= kMaxJoinedChannels) return JOIN_CHANNEL_ERR_EXCEED_LIMIT;
  auto same = joinSameChannelLimiters_.find(channel->id);
  if (same == joinSameChannelLimiters_.end()) {
    same = joinSameChannelLimiters_.emplace(channel->id, RateLimiter(limits_.joinSameChannel)).first;
  }
  const auto now = RateLimiter::Clock::now();
  if (!joinLimiter_.available(now)) return JOIN_CHANNEL_ERR_TOO_OFTEN;
  if (!same->second.available(now)) return JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN;
  joinLimiter_.tryAcquire(now);
  same->second.tryAcquire(now);

  channel->status = Status::kJoining;
  const std::uint64_t attempt = ++channel->attempt;
  const std::uint64_t key = submitChannelLocked(
      limits_.joinTimeoutMs,
      [this, channel, attempt] {
        if (channel->attempt == attempt && channel->status == Status::kJoining) channel->status = Status::kIdle;
        emitChannelLocked(channel, [](IChannelEventHandler* h) { h->onJoinFailure(JOIN_CHANNEL_TIMEOUT); });
      },
      [channel, attempt](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        std::shared_ptr<ClientLink> link = c.link;
        channels->joinChannel(c.userId, c.sessionId, channel->id, std::make_shared<ChannelLinkImpl>(link, channel, attempt),
                              [link, key, channel, attempt](JOIN_CHANNEL_ERR code, int count) {
                                link->forward([&](RtmServiceImpl& client, std::uint64_t epoch) {
                                  client.handleJoinAnswer(epoch, key, channel, attempt, code, count);
                                });
                              });
      });
  // Unlike other requests, a join's timeout runs from the call, also while CONNECTING (observed:
  // JOIN_CHANNEL_TIMEOUT about 5 s after a join made while the login never completes).
  armIfWaitingLocked(key);
  return JOIN_CHANNEL_ERR_OK;
}

void RtmServiceImpl::handleJoinAnswer(std::uint64_t epoch, std::uint64_t key, const std::shared_ptr<ChannelState>& channel,
                                      std::uint64_t attempt, JOIN_CHANNEL_ERR code, int memberCount) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;  // that session is over, and with it the membership
  const bool pending = pending_.erase(key) != 0;
  if (!pending || channel->attempt != attempt || channel->status != Status::kJoining) {
    // Nobody waits for this join any more (it timed out, or the object was released): undo it,
    // unless another join of that channel id is under way or done.
    if (code == JOIN_CHANNEL_ERR_OK) {
      auto it = channels_.find(channel->id);
      if (it == channels_.end() || it->second->status == Status::kIdle) submitChannelLeaveLocked(channel->id);
    }
    return;
  }
  if (code != JOIN_CHANNEL_ERR_OK) {
    channel->status = Status::kIdle;
    emitChannelLocked(channel, [code](IChannelEventHandler* h) { h->onJoinFailure(code); });
    return;
  }
  channel->status = Status::kJoined;
  emitChannelLocked(channel, [](IChannelEventHandler* h) { h->onJoinSuccess(); });
  emitChannelLocked(channel, [memberCount](IChannelEventHandler* h) { h->onMemberCountUpdated(memberCount); });
}

int RtmServiceImpl::leaveChannel(const std::shared_ptr<ChannelState>& channel) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (channel->status != Status::kJoined) return LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL;
  // Not in the channel from now on: its pushes stop at once and join() is allowed again.
  channel->status = Status::kIdle;
  ++channel->attempt;
  submitChannelLocked(
      limits_.joinTimeoutMs,
      [this, channel] {
        emitChannelLocked(channel, [](IChannelEventHandler* h) { h->onLeave(LEAVE_CHANNEL_ERR_FAILURE); });
      },
      [channel](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->leaveChannel(c.userId, c.sessionId, channel->id,
                               channelAnswerTo(c.link, key, [channel](LEAVE_CHANNEL_ERR code) {
                                 return ChannelResult([channel, code](RtmServiceImpl& client) {
                                   client.emitChannelLocked(channel, [code](IChannelEventHandler* h) { h->onLeave(code); });
                                 });
                               }));
      });
  return LEAVE_CHANNEL_ERR_OK;
}

void RtmServiceImpl::handleChannelPush(std::uint64_t epoch, const std::shared_ptr<ChannelState>& channel,
                                       std::uint64_t attempt, ChannelCall call) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
  if (channel->attempt != attempt || channel->status != Status::kJoined) return;  // left meanwhile
  emitChannelLocked(channel, std::move(call));
}

bool RtmServiceImpl::handleChannelMessage(std::uint64_t epoch, const std::shared_ptr<ChannelState>& channel,
                                          std::uint64_t attempt, const std::string& senderId,
                                          const std::shared_ptr<const PeerMessageData>& message) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return false;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return false;
  if (channel->attempt != attempt || channel->status != Status::kJoined) return false;  // left meanwhile
  if (inlineCallbacks_ && thread_.claimIdle()) return true;
  // (Init-captures: a copied const& would be a const member, not nothrow-movable: on the heap.)
  thread_.post([channel = channel, senderId = std::string(senderId), message = message] {
    deliverChannelMessage(*channel, senderId, *message);
  });
  return false;
}

void RtmServiceImpl::deliverClaimedChannelMessage(const std::shared_ptr<ChannelState>& channel,
                                                  const std::string& senderId, const PeerMessageData& message) {
  const CallbackThread::ClaimedRun run(thread_);
  deliverChannelMessage(*channel, senderId, message);
}

void RtmServiceImpl::deliverChannelMessage(ChannelState& channel, const std::string& senderId,
                                           const PeerMessageData& message) {
  channel.deliver([&](IChannelEventHandler* h) {
    // The received IMessage lives for the duration of the callback only.
    const ReceivedMessage m(message, false);
    h->onMessageReceived(senderId.c_str(), &m);
  });
}

// ---------------------------------------------------------------------------------------------
// Channel messages, members

int RtmServiceImpl::sendChannelMessage(const std::shared_ptr<ChannelState>& channel, const IMessage* message) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  // The caller may release its message as soon as this returns: copy it now.
  std::shared_ptr<PeerMessageData> data = makeOutgoingMessageData();  // (pooled, keeps its text's buffer)
  if (!copyOutgoingMessage(message, data.get())) return CHANNEL_MESSAGE_ERR_INVALID_MESSAGE;
  const long long id = data->messageId;
  if (channel->status != Status::kJoined) {
    // Observed: accepted, then onSendMessageResult(id, FAILURE) (the 1.x C++ enum has no
    // NOT_IN_CHANNEL for messages).
    emitChannelLocked(channel, [id](IChannelEventHandler* h) { h->onSendMessageResult(id, CHANNEL_MESSAGE_ERR_FAILURE); });
    return CHANNEL_MESSAGE_ERR_OK;
  }
  if (!sendMessageLimiter_.tryAcquire()) return CHANNEL_MESSAGE_ERR_TOO_OFTEN;  // shared with peer messages
  submitChannelLocked(
      limits_.channelMessageTimeoutMs,
      [this, channel, id] {
        emitChannelLocked(channel,
                          [id](IChannelEventHandler* h) { h->onSendMessageResult(id, CHANNEL_MESSAGE_ERR_SENT_TIMEOUT); });
      },
      [channel, id, data](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->sendChannelMessage(
            c.userId, c.sessionId, channel->id, data,
            channelAnswerTo<true>(c.link, key, [channel, id](CHANNEL_MESSAGE_ERR_CODE code) {
              return ChannelResult([channel, id, code](RtmServiceImpl& client) {
                client.emitChannelLocked(channel, [id, code](IChannelEventHandler* h) { h->onSendMessageResult(id, code); });
              });
            }));
      },
      true, Caller::kAppSend);  // batchable: its only answer is the result callback
  return CHANNEL_MESSAGE_ERR_OK;
}

int RtmServiceImpl::getChannelMembers(const std::shared_ptr<ChannelState>& channel) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (channel->status != Status::kJoined) return GET_MEMBERS_ERR_NOT_IN_CHANNEL;
  if (!getMembersLimiter_.tryAcquire()) return GET_MEMBERS_ERR_TOO_OFTEN;
  submitChannelLocked(
      limits_.getMembersTimeoutMs,
      [this, channel] {
        emitChannelLocked(channel, [](IChannelEventHandler* h) { h->onGetMembers(nullptr, 0, GET_MEMBERS_ERR_TIMEOUT); });
      },
      [channel](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->getChannelMembers(
            c.userId, c.sessionId, channel->id,
            channelAnswerTo(c.link, key, [channel](GET_MEMBERS_ERR code, const std::vector<std::string>& ids) {
              return ChannelResult([channel, code, ids](RtmServiceImpl& client) {
                client.emitChannelLocked(channel, [code, ids, channelId = channel->id](IChannelEventHandler* h) {
                  // Valid for the duration of the callback only.
                  std::vector<ChannelMemberImpl*> members;
                  members.reserve(ids.size());
                  for (const std::string& id : ids) members.push_back(new ChannelMemberImpl(id, channelId));
                  std::vector<IChannelMember*> array(members.begin(), members.end());
                  h->onGetMembers(array.empty() ? nullptr : array.data(), static_cast<int>(array.size()), code);
                  for (ChannelMemberImpl* m : members) m->destroy();
                });
              });
            }));
      });
  return GET_MEMBERS_ERR_OK;
}

// ---------------------------------------------------------------------------------------------
// Channel attributes

RtmServiceImpl::AttributeResult RtmServiceImpl::channelAttributeResult(AttributeWrite op) {
  switch (op) {
    case AttributeWrite::AddOrUpdate:
      return &IRtmServiceEventHandler::onAddOrUpdateChannelAttributesResult;
    case AttributeWrite::Delete:
      return &IRtmServiceEventHandler::onDeleteChannelAttributesResult;
    case AttributeWrite::Clear:
      return &IRtmServiceEventHandler::onClearChannelAttributesResult;
    case AttributeWrite::Set:
      break;
  }
  return &IRtmServiceEventHandler::onSetChannelAttributesResult;
}

int RtmServiceImpl::writeChannelAttributes(AttributeWrite op, const char* channelId,
                                           const IRtmChannelAttribute* attributes[], int numberOfAttributes,
                                           const ChannelAttributeOptions& options, long long& requestId) {
  AttributeList list;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!isValidChannelId(channelId)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  const AttributeCheck check = collectChannelAttributes(attributes, numberOfAttributes, &list);
  if (check != AttributeCheck::kOk) return refuseAttributeWriteLocked(check, channelAttributeResult(op), requestId);
  return channelAttributeWriteLocked(op, channelId, std::move(list), options, requestId);
}

int RtmServiceImpl::setChannelAttributes(const char* channelId, const IRtmChannelAttribute* attributes[],
                                         int numberOfAttributes, const ChannelAttributeOptions& options,
                                         long long& requestId) {
  return writeChannelAttributes(AttributeWrite::Set, channelId, attributes, numberOfAttributes, options, requestId);
}

int RtmServiceImpl::addOrUpdateChannelAttributes(const char* channelId, const IRtmChannelAttribute* attributes[],
                                                 int numberOfAttributes, const ChannelAttributeOptions& options,
                                                 long long& requestId) {
  return writeChannelAttributes(AttributeWrite::AddOrUpdate, channelId, attributes, numberOfAttributes, options,
                                requestId);
}

int RtmServiceImpl::deleteChannelAttributesByKeys(const char* channelId, const char* attributeKeys[], int numberOfKeys,
                                                  const ChannelAttributeOptions& options, long long& requestId) {
  std::vector<std::string> keys;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!isValidChannelId(channelId)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (!collectKeys(attributeKeys, numberOfKeys, &keys)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  AttributeList list;
  for (std::string& k : keys) list.emplace_back(std::move(k), std::string());
  return channelAttributeWriteLocked(AttributeWrite::Delete, channelId, std::move(list), options, requestId);
}

int RtmServiceImpl::clearChannelAttributes(const char* channelId, const ChannelAttributeOptions& options,
                                           long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!isValidChannelId(channelId)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  return channelAttributeWriteLocked(AttributeWrite::Clear, channelId, AttributeList(), options, requestId);
}

int RtmServiceImpl::channelAttributeWriteLocked(AttributeWrite op, const char* channelId, AttributeList list,
                                                const ChannelAttributeOptions& options, long long& requestId) {
  if (!channelAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  const AttributeResult result = channelAttributeResult(op);
  const long long id = nextId();
  requestId = id;
  const bool notify = options.enableNotificationToChannelMembers;
  const std::uint64_t key = submitLocked(
      limits_.attributeTimeoutMs,
      [id, result](IRtmServiceEventHandler* h) { (h->*result)(id, ATTRIBUTE_OPERATION_ERR_TIMEOUT); },
      [id, op, result, channel = std::string(channelId), list = std::move(list), notify](const SessionContext& c,
                                                                                         std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->writeChannelAttributes(c.userId, c.sessionId, channel, op, list, notify,
                                         answerTo(c.link, key, [id, result](ATTRIBUTE_OPERATION_ERR code) {
                                           return RtmServiceImpl::HandlerCall(
                                               [id, result, code](IRtmServiceEventHandler* h) { (h->*result)(id, code); });
                                         }));
      });
  // As observed, the timeout of a channel-attribute request runs from the call, also while CONNECTING.
  armIfWaitingLocked(key);
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::getChannelAttributes(const char* channelId, long long& requestId) {
  return readAttributes(channelId, isValidChannelId, false, nullptr, 0, &channelAttributeReadLimiter_,
                        &RtmServiceImpl::submitGetChannelAttributesLocked, requestId);
}

int RtmServiceImpl::getChannelAttributesByKeys(const char* channelId, const char* attributeKeys[], int numberOfKeys,
                                               long long& requestId) {
  return readAttributes(channelId, isValidChannelId, true, attributeKeys, numberOfKeys, &channelAttributeReadLimiter_,
                        &RtmServiceImpl::submitGetChannelAttributesLocked, requestId);
}

long long RtmServiceImpl::submitGetChannelAttributesLocked(const std::string& channelId, bool all,
                                                           std::vector<std::string> keys) {
  const long long id = nextId();
  const std::uint64_t key = submitLocked(
      limits_.attributeTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onGetChannelAttributesResult(id, nullptr, 0, ATTRIBUTE_OPERATION_ERR_TIMEOUT); },
      [id, channelId, all, keys = std::move(keys)](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->getChannelAttributes(
            c.userId, c.sessionId, channelId, all, keys,
            answerTo(c.link, key, [id](ATTRIBUTE_OPERATION_ERR code, const ChannelAttributeList& attributes) {
              return RtmServiceImpl::HandlerCall([id, code, attributes](IRtmServiceEventHandler* h) {
                // Valid for the duration of the callback only.
                AttributeArray array(attributes);
                h->onGetChannelAttributesResult(id, array.data(), array.size(), code);
              });
            }));
      });
  armIfWaitingLocked(key);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Member counts

int RtmServiceImpl::getChannelMemberCount(const char* channelIds[], int channelCount, long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  // Observed: no ids is INVALID_ARGUMENT, a negative count EXCEED_LIMIT (read as unsigned).
  if (channelCount == 0) return GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT;
  if (channelCount < 0 || channelCount > kMaxChannelIdsPerCount) return GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT;
  if (channelIds == nullptr) return GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT;
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(channelCount));
  for (int i = 0; i < channelCount; ++i) {
    if (!isValidChannelId(channelIds[i])) return GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT;
    ids.emplace_back(channelIds[i]);
  }
  if (!memberCountLimiter_.tryAcquire()) return GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  const std::uint64_t key = submitLocked(
      limits_.getChannelMemberCountTimeoutMs,
      [id](IRtmServiceEventHandler* h) {
        h->onGetChannelMemberCountResult(id, nullptr, 0, GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT);
      },
      [id, ids](const SessionContext& c, std::uint64_t key) {
        ChannelConnection* channels = c.connection->channels();
        if (channels == nullptr) return;
        channels->getChannelMemberCounts(
            c.userId, c.sessionId, ids, answerTo(c.link, key, [id, ids](const std::vector<int>& counts) {
              return RtmServiceImpl::HandlerCall([id, ids, counts](IRtmServiceEventHandler* h) {
                std::vector<ChannelMemberCount> array(ids.size());
                for (std::size_t i = 0; i < ids.size(); ++i) {
                  array[i].channelId = ids[i].c_str();
                  array[i].count = i < counts.size() ? counts[i] : 0;
                }
                h->onGetChannelMemberCountResult(id, array.empty() ? nullptr : array.data(),
                                                 static_cast<int>(array.size()), GET_CHANNEL_MEMBER_COUNT_ERR_OK);
              });
            }));
      });
  // As observed, the timeout runs from the call, also while CONNECTING.
  armIfWaitingLocked(key);
  return GET_CHANNEL_MEMBER_COUNT_ERR_OK;
}

}  // namespace rtm_emulator
