// ChannelAttributeImpl: IRtmChannelAttribute, a key/value pair plus who changed it last and when
// (filled in by the service for attributes it returns; empty / 0 for locally created ones).
#pragma once

#include <string>

#include "agora_rtm.h"
#include "client/live_objects.h"

namespace rtm_emulator {

class ChannelAttributeImpl final : public agora::rtm::IRtmChannelAttribute {
 public:
  ChannelAttributeImpl() = default;
  ChannelAttributeImpl(std::string key, std::string value, std::string lastUpdateUserId, long long lastUpdateTs);

  void setKey(const char* key) override { key_ = key == nullptr ? std::string() : std::string(key); }
  const char* getKey() const override { return key_.c_str(); }
  void setValue(const char* value) override { value_ = value == nullptr ? std::string() : std::string(value); }
  const char* getValue() const override { return value_.c_str(); }
  const char* getLastUpdateUserId() const override { return lastUpdateUserId_.c_str(); }
  long long getLastUpdateTs() const override { return lastUpdateTs_; }
  void release() override { delete this; }

 private:
  ~ChannelAttributeImpl() override = default;

  LiveObject live_;
  std::string key_;
  std::string value_;
  std::string lastUpdateUserId_;
  long long lastUpdateTs_ = 0;
};

}  // namespace rtm_emulator
