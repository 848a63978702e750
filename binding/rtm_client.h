// RtmClient (lib/native.ts): one IRtmService with its event handler, event queue and
// thread-safe function.
//
// Two objects: ClientCore owns the SDK objects and is owned by the environment's Addon (its set
// of live clients); RtmClient is the JS wrapper and only points at its core. A wrapper collected
// by GC before release() does nothing in its destructor: the core stays in the live set until
// environment teardown closes it. So no SDK or JS work ever runs in a GC finalizer.
#pragma once

#include <napi.h>

#include <memory>

#include "agora_rtm.h"
#include "event_queue.h"
#include "service_handler.h"

namespace rtm_binding {

class ClientCore {
 public:
  ClientCore(agora::rtm::IRtmService* service, std::unique_ptr<ServiceHandler> handler,
             std::shared_ptr<EventQueue> queue);
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;
  ~ClientCore();  // Close(true) if still open

  agora::rtm::IRtmService* service() const { return service_; }
  EventQueue& queue() const { return *queue_; }

  // Teardown, the same for release() and environment teardown: closing flag (the handler drops
  // further events) → removeEventHandler + IRtmService::release(true) → delete the handler →
  // release the thread-safe function. Events already queued are still delivered while the env
  // is alive unless `discardEvents`. Idempotent; never calls JS. JS thread.
  void Close(bool discardEvents);

 private:
  agora::rtm::IRtmService* service_;
  std::unique_ptr<ServiceHandler> handler_;
  std::shared_ptr<EventQueue> queue_;
};

class RtmClient : public Napi::ObjectWrap<RtmClient> {
 public:
  static Napi::Function Define(Napi::Env env);

  // new RtmClient(spec, appId, dispatch)
  explicit RtmClient(const Napi::CallbackInfo& info);

 private:
  Napi::Value Login(const Napi::CallbackInfo& info);
  Napi::Value Logout(const Napi::CallbackInfo& info);
  Napi::Value RenewToken(const Napi::CallbackInfo& info);
  Napi::Value SetParameters(const Napi::CallbackInfo& info);
  Napi::Value SetLogFile(const Napi::CallbackInfo& info);
  Napi::Value SetLogFilter(const Napi::CallbackInfo& info);
  Napi::Value SetLogFileSize(const Napi::CallbackInfo& info);
  void Ref(const Napi::CallbackInfo& info);
  void Unref(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  // The live core, or throws Error{code:'ERR_RTM_RELEASED'}.
  ClientCore& Live(Napi::Env env) const;

  ClientCore* core_ = nullptr;  // owned by the Addon; null after release()
};

}  // namespace rtm_binding
