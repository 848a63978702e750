// One client's channels: each IChannel from IRtmService::createChannel with its ChannelHandler,
// named by a small integer `ref` (the RtmChannel wrapper's `ref`, and the first argument of every
// channel event).
//
// The JS wrappers (RtmChannel) hold the registry and a ref, never an SDK pointer: once the
// channel or the whole client is released the ref resolves to nothing and the wrapper throws
// ERR_RTM_RELEASED instead of touching freed memory.
//
// Threads: JS thread only. The SDK's callback threads never look at the registry (each handler
// knows its own ref), so there is no lock.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include "agora_rtm.h"
#include "channel_handler.h"
#include "event_queue.h"

namespace rtm_binding {

class ChannelRegistry {
 public:
  ChannelRegistry(agora::rtm::IRtmService* service, std::shared_ptr<EventQueue> queue);
  ChannelRegistry(const ChannelRegistry&) = delete;
  ChannelRegistry& operator=(const ChannelRegistry&) = delete;
  // Does not release anything: the ClientCore calls ReleaseAll() before IRtmService::release (the
  // registry may outlive the service, held by RtmChannel wrappers).
  ~ChannelRegistry() = default;

  // The service the channels belong to; null once the client is closing.
  agora::rtm::IRtmService* Service() const { return closed_ ? nullptr : service_; }
  bool Closed() const { return closed_; }

  // IRtmService::createChannel with a new ChannelHandler; the new ref (> 0), or 0 when the SDK
  // returned NULL (the handler is then deleted) or the client is closing.
  int Create(const std::string& channelId);
  // The live channel for a ref, or null when released (or unknown).
  agora::rtm::IChannel* Channel(int ref) const;
  // Forgets the ref: the handler drops further events, IChannel::release(), then the handler is
  // deleted. False when it was already released.
  bool Release(int ref);

  // Teardown steps, in ClientCore::Close's order:
  // 1. every channel handler drops later callbacks;
  void SetClosing();
  // 2. from now on nothing is registered; every channel is released, then its handler deleted
  //    (before IRtmService::release).
  void ReleaseAll();

  // When createChannel or IChannel::release() last returned (epoch when never): both start work on
  // the real SDK's own thread, which a service release must not overtake (ClientCore::Close).
  std::chrono::steady_clock::time_point LastLifecycleCall() const { return last_lifecycle_call_; }

 private:
  struct Entry {
    agora::rtm::IChannel* channel = nullptr;
    std::unique_ptr<ChannelHandler> handler;
  };
  // IChannel::release, then delete the handler (see the .cpp for the lifetime assumption).
  void Dispose(Entry& entry);

  agora::rtm::IRtmService* const service_;
  const std::shared_ptr<EventQueue> queue_;
  bool closed_ = false;
  int next_ref_ = 1;  // refs are never reused within a client
  std::unordered_map<int, Entry> channels_;
  std::chrono::steady_clock::time_point last_lifecycle_call_{};
};

}  // namespace rtm_binding
