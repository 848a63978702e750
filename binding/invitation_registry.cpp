#include "invitation_registry.h"

#include <iterator>
#include <string>
#include <utility>

#include "call_handler.h"
#include "remote_invitation.h"

namespace rtm_binding {

// --- Construction of the wrappers -------------------------------------------------------------

namespace {

// Marks the External made by WrapInvitationInit, so no other External passes.
constexpr napi_type_tag kInvitationInitTag = {0x6f1c2a9b5d3e4f71ULL, 0x9a8b7c6d5e4f3a2bULL};

}  // namespace

Napi::Value WrapInvitationInit(Napi::Env env, InvitationInit* init) {
  Napi::External<InvitationInit> external = Napi::External<InvitationInit>::New(env, init);
  external.TypeTag(&kInvitationInitTag);
  return external;
}

InvitationInit& UnwrapInvitationInit(const Napi::CallbackInfo& info, const char* className) {
  Napi::Value arg = info[0];
  if (!arg.IsExternal() || !arg.As<Napi::External<InvitationInit>>().CheckTypeTag(&kInvitationInitTag)) {
    throw Napi::TypeError::New(info.Env(), std::string(className) + " objects are made by RtmClient only");
  }
  return *arg.As<Napi::External<InvitationInit>>().Data();
}

Napi::Value InvitationText(Napi::Env env, const char* s) { return Napi::String::New(env, s != nullptr ? s : ""); }

agora::rtm::IRtmCallManager& LiveCallManager(Napi::Env env, const std::shared_ptr<InvitationRegistry>& registry) {
  agora::rtm::IRtmCallManager* manager = registry ? registry->CallManager() : nullptr;
  if (manager == nullptr) throw ErrorWithCode(env, "The RtmClient has been released", "ERR_RTM_RELEASED");
  return *manager;
}

// --- InvitationRegistry -----------------------------------------------------------------------
//
// SDK objects are released outside the mutex: release() may take the SDK's own locks, which its
// callback thread may hold while it calls into the handler, which takes this mutex.

void InvitationRegistry::SetCallManager(agora::rtm::IRtmCallManager* manager) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_) manager_ = manager;
}

agora::rtm::IRtmCallManager* InvitationRegistry::CallManager() const {
  std::lock_guard<std::mutex> lock(mu_);
  return manager_;
}

int InvitationRegistry::AddLocal(agora::rtm::ILocalCallInvitation* invitation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_ || invitation == nullptr) return 0;
  auto known = local_ids_.find(invitation);
  if (known != local_ids_.end()) return known->second;  // never seen: the SDK makes a new object
  const int id = next_id_++;
  locals_.emplace(id, invitation);
  local_ids_.emplace(invitation, id);
  return id;
}

agora::rtm::ILocalCallInvitation* InvitationRegistry::Local(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = locals_.find(id);
  return found == locals_.end() ? nullptr : found->second;
}

agora::rtm::IRemoteCallInvitation* InvitationRegistry::Remote(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = remotes_.find(id);
  return found == remotes_.end() ? nullptr : found->second;
}

bool InvitationRegistry::ReleaseLocal(int id) {
  agora::rtm::ILocalCallInvitation* invitation = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = locals_.find(id);
    if (found == locals_.end()) return false;
    invitation = found->second;
    locals_.erase(found);
    local_ids_.erase(invitation);
  }
  invitation->release();
  return true;
}

bool InvitationRegistry::ReleaseRemote(int id) {
  agora::rtm::IRemoteCallInvitation* invitation = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = remotes_.find(id);
    if (found == remotes_.end()) return false;
    invitation = found->second;
    remotes_.erase(found);
    remote_ids_.erase(invitation);
  }
  invitation->release();
  return true;
}

agora::rtm::IRtmCallManager* InvitationRegistry::ReleaseAll() {
  std::unordered_map<int, agora::rtm::ILocalCallInvitation*> locals;
  std::unordered_map<int, agora::rtm::IRemoteCallInvitation*> remotes;
  agora::rtm::IRtmCallManager* manager = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    locals.swap(locals_);
    remotes.swap(remotes_);
    local_ids_.clear();
    remote_ids_.clear();
    std::swap(manager, manager_);
  }
  for (auto& entry : locals) entry.second->release();
  for (auto& entry : remotes) entry.second->release();
  return manager;
}

void InvitationRegistry::ReleaseLate() {
  std::vector<agora::rtm::IRemoteCallInvitation*> late;
  {
    std::lock_guard<std::mutex> lock(mu_);
    late.swap(late_remotes_);
  }
  for (auto* invitation : late) invitation->release();
}

int InvitationRegistry::LocalId(const agora::rtm::ILocalCallInvitation* invitation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = local_ids_.find(invitation);
  return found == local_ids_.end() ? 0 : found->second;
}

int InvitationRegistry::RemoteId(const agora::rtm::IRemoteCallInvitation* invitation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = remote_ids_.find(invitation);
  return found == remote_ids_.end() ? 0 : found->second;
}

int InvitationRegistry::RemoteIdAndContent(const agora::rtm::IRemoteCallInvitation* invitation,
                                           std::string* content) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = remote_ids_.find(invitation);
  if (found == remote_ids_.end()) return 0;
  const char* text = invitation->getContent();
  content->assign(text != nullptr ? text : "");
  return found->second;
}

int InvitationRegistry::AddRemote(agora::rtm::IRemoteCallInvitation* invitation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (invitation == nullptr) return 0;
  if (closed_) {
    late_remotes_.push_back(invitation);
    return 0;
  }
  auto known = remote_ids_.find(invitation);
  if (known != remote_ids_.end()) return known->second;
  const int id = next_id_++;
  remotes_.emplace(id, invitation);
  remote_ids_.emplace(invitation, id);
  return id;
}

// --- CallCore ---------------------------------------------------------------------------------

CallCore::CallCore(std::shared_ptr<EventQueue> queue)
    : registry_(std::make_shared<InvitationRegistry>()),
      handler_(std::make_unique<CallHandler>(std::move(queue), registry_)) {}

CallCore::~CallCore() = default;

void CallCore::Start(agora::rtm::IRtmService* service) {
  if (service == nullptr || registry_->CallManager() != nullptr) return;
  registry_->SetCallManager(service->getRtmCallManager(handler_.get()));
}

Napi::Value CallCore::RemoteWrapper(Napi::Env env, int id) {
  if (registry_->Remote(id) == nullptr) {
    remote_wrappers_.erase(id);
    return Napi::Value();
  }
  auto found = remote_wrappers_.find(id);
  if (found != remote_wrappers_.end()) {
    Napi::Object alive = found->second.Value();
    if (!alive.IsEmpty()) return alive;
  }
  Napi::Object wrapper = RemoteInvitation::New(env, registry_, id);
  for (auto it = remote_wrappers_.begin(); it != remote_wrappers_.end();) {
    it = registry_->Remote(it->first) == nullptr ? remote_wrappers_.erase(it) : std::next(it);
  }
  remote_wrappers_[id] = Napi::Weak(wrapper);
  return wrapper;
}

void CallCore::SetClosing() { handler_->SetClosing(); }

void CallCore::ReleaseSdkObjects() {
  agora::rtm::IRtmCallManager* manager = registry_->ReleaseAll();
  if (manager != nullptr) manager->release();
}

void CallCore::ReleaseLate() { registry_->ReleaseLate(); }

}  // namespace rtm_binding
