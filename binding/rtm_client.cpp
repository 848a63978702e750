#include "rtm_client.h"

#include <string>
#include <utility>

#include "addon.h"
#include "args.h"
#include "backend.h"

namespace rtm_binding {

// --- ClientCore -------------------------------------------------------------------------------

ClientCore::ClientCore(agora::rtm::IRtmService* service, std::unique_ptr<ServiceHandler> handler,
                       std::shared_ptr<EventQueue> queue)
    : service_(service), handler_(std::move(handler)), queue_(std::move(queue)) {}

ClientCore::~ClientCore() { Close(true); }

void ClientCore::Close(bool discardEvents) {
  if (service_ == nullptr) return;
  // 1. The handler drops whatever the SDK still delivers from here on.
  handler_->SetClosing();
  // 2. Detach and release. release(true) waits for the SDK's callback thread (the emulator joins
  //    it), so no callback can still be running on the handler when it is deleted below.
  service_->removeEventHandler(handler_.get());
  service_->release(true);
  service_ = nullptr;
  // 3. Nothing can call the handler any more.
  handler_.reset();
  // 4. The thread-safe function: queued events are still delivered, then Node finalizes it.
  queue_->Close(discardEvents);
}

// --- RtmClient --------------------------------------------------------------------------------

Napi::Function RtmClient::Define(Napi::Env env) {
  // napi_default_method: writable and configurable, not enumerable, like a JS class's methods.
  return DefineClass(env, "RtmClient",
                     {
                         InstanceMethod<&RtmClient::Login>("login", napi_default_method),
                         InstanceMethod<&RtmClient::Logout>("logout", napi_default_method),
                         InstanceMethod<&RtmClient::RenewToken>("renewToken", napi_default_method),
                         InstanceMethod<&RtmClient::SetParameters>("setParameters", napi_default_method),
                         InstanceMethod<&RtmClient::SetLogFile>("setLogFile", napi_default_method),
                         InstanceMethod<&RtmClient::SetLogFilter>("setLogFilter", napi_default_method),
                         InstanceMethod<&RtmClient::SetLogFileSize>("setLogFileSize", napi_default_method),
                         InstanceMethod<&RtmClient::Ref>("ref", napi_default_method),
                         InstanceMethod<&RtmClient::Unref>("unref", napi_default_method),
                         InstanceMethod<&RtmClient::Release>("release", napi_default_method),
                     });
}

RtmClient::RtmClient(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RtmClient>(info) {
  Napi::Env env = info.Env();
  const std::string app_id = StringArg(info[1], "appId");
  Napi::Function dispatch = FunctionArg(info[2], "dispatch");
  const Backend backend = LoadBackend(env, info[0]);

  std::shared_ptr<EventQueue> queue = EventQueue::Create(env, dispatch);  // starts unref'd
  agora::rtm::IRtmService* service = backend.createRtmService();
  if (service == nullptr) {
    queue->Close(true);
    Napi::Error error = ErrorWithCode(env, "createRtmService() returned NULL", "ERR_RTM_INIT");
    error.Set("initCode", Napi::Number::New(env, -1));
    throw error;
  }
  auto handler = std::make_unique<ServiceHandler>(queue);
  ServiceHandler* raw_handler = handler.get();
  auto core = std::make_unique<ClientCore>(service, std::move(handler), std::move(queue));

  const int code = service->initialize(app_id.c_str(), raw_handler);
  if (code != 0) {
    core->Close(true);
    Napi::Error error =
        ErrorWithCode(env, "IRtmService::initialize() returned " + std::to_string(code), "ERR_RTM_INIT");
    error.Set("initCode", Napi::Number::New(env, code));
    throw error;
  }
  core_ = Addon::Of(env).Adopt(std::move(core));
}

ClientCore& RtmClient::Live(Napi::Env env) const {
  if (core_ == nullptr) throw ErrorWithCode(env, "The RtmClient has been released", "ERR_RTM_RELEASED");
  return *core_;
}

Napi::Value RtmClient::Login(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const bool no_token = info[0].IsNull() || info[0].IsUndefined();
  const std::string token = no_token ? std::string() : StringArg(info[0], "token");
  const std::string user_id = StringArg(info[1], "userId");
  return Napi::Number::New(env, core.service()->login(no_token ? nullptr : token.c_str(), user_id.c_str()));
}

Napi::Value RtmClient::Logout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, Live(env).service()->logout());
}

Napi::Value RtmClient::RenewToken(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string token = StringArg(info[0], "token");
  return Napi::Number::New(env, core.service()->renewToken(token.c_str()));
}

Napi::Value RtmClient::SetParameters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string json = StringArg(info[0], "json");
  return Napi::Number::New(env, core.service()->setParameters(json.c_str()));
}

Napi::Value RtmClient::SetLogFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string path = StringArg(info[0], "path");
  return Napi::Number::New(env, core.service()->setLogFile(path.c_str()));
}

Napi::Value RtmClient::SetLogFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  // Any int32 goes through unchanged, as the C ABI would carry it: the SDK answers for values
  // that are not LOG_FILTER_TYPE members (lib/ validates the documented ones first).
  const int filter = Int32Arg(info[0], "filter");
  return Napi::Number::New(env, core.service()->setLogFilter(static_cast<agora::rtm::LOG_FILTER_TYPE>(filter)));
}

Napi::Value RtmClient::SetLogFileSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const int kilobytes = Int32Arg(info[0], "kilobytes");
  return Napi::Number::New(env, core.service()->setLogFileSize(kilobytes));
}

void RtmClient::Ref(const Napi::CallbackInfo& info) { Live(info.Env()).queue().Ref(info.Env()); }

void RtmClient::Unref(const Napi::CallbackInfo& info) { Live(info.Env()).queue().Unref(info.Env()); }

void RtmClient::Release(const Napi::CallbackInfo& info) {
  if (core_ == nullptr) return;  // idempotent
  ClientCore* core = core_;
  core_ = nullptr;  // first: a re-entrant call sees a released client
  Addon::Of(info.Env()).CloseClient(core);
}

}  // namespace rtm_binding
