// The IChannelEventHandler of one IChannel: each callback copies its arguments into an Event
// whose first argument is the channel's `ref` (the number its RtmChannel wrapper shows) and
// pushes it onto the client's EventQueue (the service handler's queue, so channel events keep
// their order relative to every other event of the client). Runs on SDK threads: it never blocks
// beyond the queue's short mutex hold, never calls into the SDK (apart from reading the members /
// attributes / message it is handed) and never touches V8.
//
// Everything the SDK hands over is borrowed for the duration of the callback (rtm-abi.md §7.4):
// IChannelMember pointers, attribute arrays and messages are read and copied before returning;
// nothing points into SDK memory afterwards.
#pragma once

#include <atomic>
#include <memory>

#include "agora_rtm.h"
#include "event_queue.h"

namespace rtm_binding {

// Event kinds: the numbers of EventKind in lib/native.ts (18–27).
enum ChannelEventKind : int {
  kJoinSuccess = 18,
  kJoinFailure = 19,
  kLeave = 20,
  kChannelMessage = 21,
  kChannelSendMessageResult = 22,
  kMemberJoined = 23,
  kMemberLeft = 24,
  kGetMembers = 25,
  kAttributesUpdated = 26,
  kMemberCountUpdated = 27,
};

// NativeChannelAttribute[]: [key, value, lastUpdateUserId, lastUpdateTs in ms] for each attribute,
// copied. A NULL array or a negative count reads as no attributes; NULL items are skipped. Shared
// with the service handler (onGetChannelAttributesResult). Any thread; may throw bad_alloc.
Value ChannelAttributesValue(const agora::rtm::IRtmChannelAttribute* const* attributes, int count);

class ChannelHandler final : public agora::rtm::IChannelEventHandler {
 public:
  ChannelHandler(std::shared_ptr<EventQueue> queue, int ref) : queue_(std::move(queue)), ref_(ref) {}
  ChannelHandler(const ChannelHandler&) = delete;
  ChannelHandler& operator=(const ChannelHandler&) = delete;

  int ref() const { return ref_; }

  // First step of the channel's release (and of the client's teardown): every callback after
  // this drops its event.
  void SetClosing() { closing_.store(true, std::memory_order_release); }

  void onJoinSuccess() override;
  void onJoinFailure(agora::rtm::JOIN_CHANNEL_ERR errorCode) override;
  void onLeave(agora::rtm::LEAVE_CHANNEL_ERR errorCode) override;
  // The IMessage is valid only during the callback: everything is copied (binding/message.h).
  void onMessageReceived(const char* userId, const agora::rtm::IMessage* message) override;
  void onSendMessageResult(long long messageId, agora::rtm::CHANNEL_MESSAGE_ERR_CODE state) override;
  // Members: only getUserId() is read (the channel is known by ref). A NULL member reads as "";
  // NULL entries of the onGetMembers array are skipped.
  void onMemberJoined(agora::rtm::IChannelMember* member) override;
  void onMemberLeft(agora::rtm::IChannelMember* member) override;
  void onGetMembers(agora::rtm::IChannelMember** members, int userCount,
                    agora::rtm::GET_MEMBERS_ERR errorCode) override;
  void onAttributesUpdated(const agora::rtm::IRtmChannelAttribute* attributes[], int numberOfAttributes) override;
  void onMemberCountUpdated(int memberCount) override;

 private:
  // Pushes [kind, ref, ...build(args)] unless closing. `build` runs only when the event is wanted.
  // Nothing escapes: an allocation failure loses the event rather than throw into the SDK's thread.
  template <typename Build>
  void Emit(ChannelEventKind kind, Build&& build) noexcept;
  bool Closing() const { return closing_.load(std::memory_order_acquire); }

  std::atomic<bool> closing_{false};
  const std::shared_ptr<EventQueue> queue_;
  const int ref_;
};

}  // namespace rtm_binding
