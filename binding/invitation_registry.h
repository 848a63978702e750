// One client's call invitations: the IRtmCallManager, its IRtmCallEventHandler, and the
// invitation objects the binding holds, each named by a small integer id.
//
// InvitationRegistry maps SDK pointers to ids and back. Local invitations are registered when
// createLocalInvitation makes them; a remote invitation when onRemoteInvitationReceived hands
// it over (the binding keeps it so that accept/refuse can use it after the callback). The JS
// wrappers (LocalInvitation / RemoteInvitation) hold the registry and an id, never an SDK
// pointer: once the invitation or the whole client is released the id resolves to nothing and
// the wrapper throws ERR_RTM_RELEASED instead of touching freed memory.
//
// Threads: the SDK's callback thread only looks ids up (and registers remote invitations);
// everything that dereferences a registered pointer, and every release, runs on the JS thread.
// The mutex guards the maps between the two.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "agora_rtm.h"
#include "args.h"
#include "event_queue.h"

namespace rtm_binding {

class CallHandler;
class InvitationRegistry;

// What the binding hands to the LocalInvitation / RemoteInvitation constructors: the registry
// and the id. JS code cannot make one, so `new` from JS throws a TypeError.
struct InvitationInit {
  std::shared_ptr<InvitationRegistry> registry;
  int id = 0;
};
// `init` must outlive the constructor call it is passed to.
Napi::Value WrapInvitationInit(Napi::Env env, InvitationInit* init);
// The InvitationInit passed by WrapInvitationInit as the first argument, or a TypeError.
InvitationInit& UnwrapInvitationInit(const Napi::CallbackInfo& info, const char* className);

// --- Shared by the LocalInvitation / RemoteInvitation wrappers ---------------------------------

// A string of the SDK's invitation (NULL becomes "").
Napi::Value InvitationText(Napi::Env env, const char* s);
// The registry's call manager, or Error{code:'ERR_RTM_RELEASED'} once the client was released.
agora::rtm::IRtmCallManager& LiveCallManager(Napi::Env env, const std::shared_ptr<InvitationRegistry>& registry);
// The wrapper's SDK invitation, or Error{code:'ERR_RTM_RELEASED'} once it was released.
template <typename Invitation>
Invitation& LiveInvitation(Napi::Env env, Invitation* invitation, const char* className) {
  if (invitation == nullptr) {
    throw ErrorWithCode(env, std::string("The ") + className + " has been released", "ERR_RTM_RELEASED");
  }
  return *invitation;
}

class InvitationRegistry {
 public:
  InvitationRegistry() = default;
  InvitationRegistry(const InvitationRegistry&) = delete;
  InvitationRegistry& operator=(const InvitationRegistry&) = delete;

  // --- JS thread ---
  void SetCallManager(agora::rtm::IRtmCallManager* manager);
  // The call manager, or null once the client is closing (or none was made).
  agora::rtm::IRtmCallManager* CallManager() const;
  // Registers an invitation this client created; returns its id (> 0), or 0 when closed (the
  // caller then releases it).
  int AddLocal(agora::rtm::ILocalCallInvitation* invitation);
  // The live object for an id, or null when released (or unknown).
  agora::rtm::ILocalCallInvitation* Local(int id) const;
  agora::rtm::IRemoteCallInvitation* Remote(int id) const;
  // Forgets the id and releases the SDK object. False when it was already released.
  bool ReleaseLocal(int id);
  bool ReleaseRemote(int id);
  // Teardown: from now on nothing is registered; releases every invitation still held and
  // returns the call manager (for the caller to release), forgetting it.
  agora::rtm::IRtmCallManager* ReleaseAll();
  // After IRtmService::release: releases the remote invitations that arrived after ReleaseAll
  // (the SDK hands them over; nobody else would free them).
  void ReleaseLate();

  // --- SDK callback thread ---
  // The id of a registered invitation, 0 when unknown or released.
  int LocalId(const agora::rtm::ILocalCallInvitation* invitation) const;
  int RemoteId(const agora::rtm::IRemoteCallInvitation* invitation) const;
  // RemoteId, and when registered also its getContent(), read under the mutex (so the JS thread
  // cannot release it meanwhile: it forgets an invitation under the mutex before releasing it).
  int RemoteIdAndContent(const agora::rtm::IRemoteCallInvitation* invitation, std::string* content) const;
  // Registers a remote invitation (the same pointer keeps its id); 0 when closed, and then it is
  // kept for ReleaseLate.
  int AddRemote(agora::rtm::IRemoteCallInvitation* invitation);

 private:
  mutable std::mutex mu_;
  bool closed_ = false;
  int next_id_ = 1;  // one counter for both kinds; ids are never reused
  agora::rtm::IRtmCallManager* manager_ = nullptr;
  std::unordered_map<int, agora::rtm::ILocalCallInvitation*> locals_;
  std::unordered_map<const agora::rtm::ILocalCallInvitation*, int> local_ids_;
  std::unordered_map<int, agora::rtm::IRemoteCallInvitation*> remotes_;
  std::unordered_map<const agora::rtm::IRemoteCallInvitation*, int> remote_ids_;
  std::vector<agora::rtm::IRemoteCallInvitation*> late_remotes_;  // arrived after ReleaseAll
};

// The call side of one client (owned by its ClientCore): the call handler, the registry and,
// once Start() ran, the call manager.
class CallCore {
 public:
  explicit CallCore(std::shared_ptr<EventQueue> queue);
  CallCore(const CallCore&) = delete;
  CallCore& operator=(const CallCore&) = delete;
  ~CallCore();

  // After IRtmService::initialize: getRtmCallManager(handler), once. JS thread.
  void Start(agora::rtm::IRtmService* service);

  const std::shared_ptr<InvitationRegistry>& registry() const { return registry_; }

  // The RemoteInvitation wrapper of a registered id: the same JS object while it is alive (weak
  // references, JS thread only); an empty value when the id is not registered. Entries of
  // released invitations are dropped whenever a new wrapper is made.
  Napi::Value RemoteWrapper(Napi::Env env, int id);

  // Teardown steps, in ClientCore::Close's order:
  // 1. the handler drops every later callback;
  void SetClosing();
  // 2. every invitation, then the call manager, is released (before IRtmService::release);
  void ReleaseSdkObjects();
  // 3. after IRtmService::release(true): the invitations that arrived meanwhile are released;
  void ReleaseLate();
  // 4. the handler itself is deleted with the CallCore.

 private:
  std::shared_ptr<InvitationRegistry> registry_;
  std::unique_ptr<CallHandler> handler_;
  std::unordered_map<int, Napi::ObjectReference> remote_wrappers_;
};

}  // namespace rtm_binding
