// RtmServiceImpl, user attributes: the local user's writes and the reads of anyone's. Also the
// two members the channel-attribute requests reuse (refuseAttributeWriteLocked, readAttributes),
// since the SDK checks user and channel attributes the same way.
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "client/identifiers.h"
#include "client/request_answers.h"
#include "client/rtm_service_impl.h"
#include "common/rules.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

// Attributes of a local-user write: what the arguments alone show (see AttributeCheck). The
// call's own pairs are also checked against the per-user totals (a set replaces everything; an
// addOrUpdate that alone exceeds them cannot succeed).
AttributeCheck collectAttributes(const RtmAttribute* attributes, int count, AttributeList* out) {
  if (count <= 0 || attributes == nullptr) return AttributeCheck::kBadList;
  for (int i = 0; i < count; ++i) {
    if (!isValidAttributeKey(attributes[i].key)) return AttributeCheck::kBadItem;
    if (attributes[i].value == nullptr || attributes[i].value[0] == '\0') return AttributeCheck::kBadItem;
  }
  AttributeList merged;
  for (int i = 0; i < count; ++i) {
    if (std::strlen(attributes[i].value) > kMaxAttributeValueBytes) return AttributeCheck::kOverflow;
    bool replaced = false;
    for (auto& kv : merged) {
      if (kv.first == attributes[i].key) {
        kv.second = attributes[i].value;  // a repeated key: the last value wins
        replaced = true;
        break;
      }
    }
    if (!replaced) merged.emplace_back(attributes[i].key, attributes[i].value);
  }
  std::size_t bytes = 0;
  for (const auto& kv : merged) bytes += kv.first.size() + kv.second.size();
  if (merged.size() > kMaxUserAttributes || bytes > kMaxUserAttributeBytes) return AttributeCheck::kOverflow;
  *out = std::move(merged);
  return AttributeCheck::kOk;
}

}  // namespace

int RtmServiceImpl::writeLocalUserAttributes(AttributeWrite op, const RtmAttribute* attributes,
                                             int numberOfAttributes, long long& requestId) {
  AttributeList list;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  const AttributeCheck check = collectAttributes(attributes, numberOfAttributes, &list);
  if (check != AttributeCheck::kOk) return refuseAttributeWriteLocked(check, userAttributeResult(op), requestId);
  if (!userAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  requestId = submitUserAttributeWriteLocked(op, std::move(list));
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::setLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                           long long& requestId) {
  return writeLocalUserAttributes(AttributeWrite::Set, attributes, numberOfAttributes, requestId);
}

int RtmServiceImpl::addOrUpdateLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                                   long long& requestId) {
  return writeLocalUserAttributes(AttributeWrite::AddOrUpdate, attributes, numberOfAttributes, requestId);
}

int RtmServiceImpl::deleteLocalUserAttributesByKeys(const char* attributeKeys[], int numberOfKeys,
                                                    long long& requestId) {
  std::vector<std::string> keys;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!collectKeys(attributeKeys, numberOfKeys, &keys)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (!userAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  AttributeList list;
  for (std::string& k : keys) list.emplace_back(std::move(k), std::string());
  requestId = submitUserAttributeWriteLocked(AttributeWrite::Delete, std::move(list));
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::clearLocalUserAttributes(long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!userAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  requestId = submitUserAttributeWriteLocked(AttributeWrite::Clear, AttributeList());
  return ATTRIBUTE_OPERATION_ERR_OK;
}

RtmServiceImpl::AttributeResult RtmServiceImpl::userAttributeResult(AttributeWrite op) {
  switch (op) {
    case AttributeWrite::AddOrUpdate:
      return &IRtmServiceEventHandler::onAddOrUpdateLocalUserAttributesResult;
    case AttributeWrite::Delete:
      return &IRtmServiceEventHandler::onDeleteLocalUserAttributesResult;
    case AttributeWrite::Clear:
      return &IRtmServiceEventHandler::onClearLocalUserAttributesResult;
    case AttributeWrite::Set:
      break;
  }
  return &IRtmServiceEventHandler::onSetLocalUserAttributesResult;
}

int RtmServiceImpl::refuseAttributeWriteLocked(AttributeCheck check, AttributeResult result, long long& requestId) {
  switch (check) {
    case AttributeCheck::kOk:
      return ATTRIBUTE_OPERATION_ERR_OK;
    case AttributeCheck::kBadList:
      return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    case AttributeCheck::kBadItem:
      requestId = nextId();  // observed: written although the call is refused
      return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    case AttributeCheck::kOverflow:
      break;
  }
  // Observed: accepted, then the result callback with SIZE_OVERFLOW.
  const long long id = nextId();
  requestId = id;
  emitLocked([id, result](IRtmServiceEventHandler* h) { (h->*result)(id, ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW); });
  return ATTRIBUTE_OPERATION_ERR_OK;
}

long long RtmServiceImpl::submitUserAttributeWriteLocked(AttributeWrite op, AttributeList list) {
  const AttributeResult result = userAttributeResult(op);
  const long long id = nextId();
  submitLocked(
      limits_.attributeTimeoutMs,
      [id, result](IRtmServiceEventHandler* h) { (h->*result)(id, ATTRIBUTE_OPERATION_ERR_TIMEOUT); },
      [id, op, result, list = std::move(list)](const SessionContext& c, std::uint64_t key) {
        c.connection->writeUserAttributes(c.userId, c.sessionId, op, list,
                                          answerTo(c.link, key, [id, result](ATTRIBUTE_OPERATION_ERR code) {
                                            return RtmServiceImpl::HandlerCall(
                                                [id, result, code](IRtmServiceEventHandler* h) { (h->*result)(id, code); });
                                          }));
      });
  return id;
}

int RtmServiceImpl::readAttributes(const char* target, bool (*isValidTarget)(const char*), bool byKeys,
                                   const char* attributeKeys[], int numberOfKeys, RateLimiter* limiter,
                                   SubmitRead submit, long long& requestId) {
  std::vector<std::string> keys;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!isValidTarget(target)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (byKeys && !collectKeys(attributeKeys, numberOfKeys, &keys)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (!limiter->tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  requestId = (this->*submit)(target, !byKeys, std::move(keys));
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::getUserAttributes(const char* userId, long long& requestId) {
  return readAttributes(userId, isValidUserId, false, nullptr, 0, &userAttributeReadLimiter_,
                        &RtmServiceImpl::submitGetUserAttributesLocked, requestId);
}

int RtmServiceImpl::getUserAttributesByKeys(const char* userId, const char* attributeKeys[], int numberOfKeys,
                                            long long& requestId) {
  return readAttributes(userId, isValidUserId, true, attributeKeys, numberOfKeys, &userAttributeReadLimiter_,
                        &RtmServiceImpl::submitGetUserAttributesLocked, requestId);
}

long long RtmServiceImpl::submitGetUserAttributesLocked(const std::string& target, bool all,
                                                         std::vector<std::string> keys) {
  const long long id = nextId();
  submitLocked(
      limits_.attributeTimeoutMs,
      [id, target](IRtmServiceEventHandler* h) {
        h->onGetUserAttributesResult(id, target.c_str(), nullptr, 0, ATTRIBUTE_OPERATION_ERR_TIMEOUT);
      },
      [id, target, all, keys = std::move(keys)](const SessionContext& c, std::uint64_t key) {
        c.connection->getUserAttributes(
            c.userId, c.sessionId, target, all, keys,
            answerTo(c.link, key, [id, target](ATTRIBUTE_OPERATION_ERR code, const AttributeList& attributes) {
              return RtmServiceImpl::HandlerCall([id, target, code, attributes](IRtmServiceEventHandler* h) {
                std::vector<RtmAttribute> array(attributes.size());
                for (std::size_t i = 0; i < attributes.size(); ++i) {
                  array[i].key = attributes[i].first.c_str();
                  array[i].value = attributes[i].second.c_str();
                }
                h->onGetUserAttributesResult(id, target.c_str(), array.empty() ? nullptr : array.data(),
                                             static_cast<int>(array.size()), code);
              });
            }));
      });
  return id;
}
}  // namespace rtm_emulator
