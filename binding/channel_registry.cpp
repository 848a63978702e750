#include "channel_registry.h"

#include <limits>
#include <utility>

namespace rtm_binding {

ChannelRegistry::ChannelRegistry(agora::rtm::IRtmService* service, std::shared_ptr<EventQueue> queue)
    : service_(service), queue_(std::move(queue)) {}

int ChannelRegistry::Create(const std::string& channelId) {
  if (closed_ || service_ == nullptr || next_ref_ == std::numeric_limits<int>::max()) return 0;
  const int ref = next_ref_++;
  auto handler = std::make_unique<ChannelHandler>(queue_, ref);
  agora::rtm::IChannel* channel = service_->createChannel(channelId.c_str(), handler.get());
  last_lifecycle_call_ = std::chrono::steady_clock::now();
  if (channel == nullptr) return 0;  // the handler was never used: deleted here
  Entry& entry = channels_[ref];
  entry.channel = channel;
  entry.handler = std::move(handler);
  return ref;
}

agora::rtm::IChannel* ChannelRegistry::Channel(int ref) const {
  auto found = channels_.find(ref);
  return found == channels_.end() ? nullptr : found->second.channel;
}

// No callback reaches the handler once IChannel::release() has returned: the emulator waits for a
// callback in progress on its callback thread, and so does the real v1.2.2 SDK (observed: release()
// returned only after an onJoinFailure handler that slept 500 ms had returned). The binding only
// releases from the JS thread, never from a callback, so that wait cannot deadlock.
void ChannelRegistry::Dispose(Entry& entry) {
  entry.handler->SetClosing();
  entry.channel->release();
  last_lifecycle_call_ = std::chrono::steady_clock::now();
  entry.channel = nullptr;
  entry.handler.reset();
}

bool ChannelRegistry::Release(int ref) {
  auto found = channels_.find(ref);
  if (found == channels_.end()) return false;
  Entry entry = std::move(found->second);
  channels_.erase(found);  // first: a re-entrant call sees a released channel
  Dispose(entry);
  return true;
}

void ChannelRegistry::SetClosing() {
  for (auto& item : channels_) item.second.handler->SetClosing();
}

void ChannelRegistry::ReleaseAll() {
  closed_ = true;
  std::unordered_map<int, Entry> channels;
  channels.swap(channels_);
  for (auto& item : channels) Dispose(item.second);
}

}  // namespace rtm_binding
