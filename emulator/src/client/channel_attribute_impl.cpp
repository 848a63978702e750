#include "client/channel_attribute_impl.h"

#include <utility>

namespace rtm_emulator {

ChannelAttributeImpl::ChannelAttributeImpl(std::string key, std::string value, std::string lastUpdateUserId,
                                           long long lastUpdateTs)
    : key_(std::move(key)),
      value_(std::move(value)),
      lastUpdateUserId_(std::move(lastUpdateUserId)),
      lastUpdateTs_(lastUpdateTs) {}

}  // namespace rtm_emulator
