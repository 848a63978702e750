// ServiceCore, user attributes: each session's attributes, written only by their user and read
// by anyone while that user is logged in; a write that would pass the per-user limits in total is
// refused as a whole (SIZE_OVERFLOW).
#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cloud/service_core.h"
#include "common/rules.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

std::size_t attributeBytes(const AttributeList& list) {
  std::size_t n = 0;
  for (const auto& kv : list) n += kv.first.size() + kv.second.size();
  return n;
}

// Sets key to value, keeping the position of an existing key; new keys go last.
void upsert(AttributeList* list, const std::string& key, const std::string& value) {
  for (auto& kv : *list) {
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  }
  list->emplace_back(key, value);
}

}  // namespace

void ServiceCore::writeUserAttributes(const std::string& userId, std::uint64_t sessionId, AttributeWrite op,
                                      const AttributeList& attributes,
                                      std::function<void(ATTRIBUTE_OPERATION_ERR)> done) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return;
    AttributeList result;
    switch (op) {
      case AttributeWrite::Set:
        for (const auto& kv : attributes) upsert(&result, kv.first, kv.second);
        break;
      case AttributeWrite::AddOrUpdate:
        result = s->attributes;
        for (const auto& kv : attributes) upsert(&result, kv.first, kv.second);
        break;
      case AttributeWrite::Delete:
        for (const auto& kv : s->attributes) {
          const bool doomed = std::any_of(attributes.begin(), attributes.end(),
                                          [&](const std::pair<std::string, std::string>& d) { return d.first == kv.first; });
          if (!doomed) result.push_back(kv);
        }
        break;
      case AttributeWrite::Clear:
        break;
    }
    ATTRIBUTE_OPERATION_ERR code = ATTRIBUTE_OPERATION_ERR_OK;
    if (result.size() > kMaxUserAttributes || attributeBytes(result) > kMaxUserAttributeBytes) {
      code = ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;  // nothing changes
    } else {
      s->attributes = std::move(result);
    }
    s->out->push([done = std::move(done), code] { done(code); });
    after.drains.push_back(s->out);
  }
  after.run();
}

void ServiceCore::getUserAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& targetUserId,
                                    bool all, const std::vector<std::string>& keys,
                                    std::function<void(ATTRIBUTE_OPERATION_ERR, const AttributeList&)> done) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return;
    // Another user must be logged in (an unreachable one still is).
    auto target = sessions_.find(targetUserId);
    ATTRIBUTE_OPERATION_ERR code = ATTRIBUTE_OPERATION_ERR_OK;
    AttributeList result;
    if (target == sessions_.end()) {
      code = ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND;
    } else {
      for (const auto& kv : target->second.attributes) {
        if (all || std::find(keys.begin(), keys.end(), kv.first) != keys.end()) result.push_back(kv);
      }
    }
    s->out->push([done = std::move(done), code, result = std::move(result)] { done(code, result); });
    after.drains.push_back(s->out);
  }
  after.run();
}
}  // namespace rtm_emulator
