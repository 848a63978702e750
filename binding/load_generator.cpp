#include "load_generator.h"

#include <string>
#include <utility>

#include "args.h"
#include "rtm_emulator/emulator.h"

namespace rtm_binding {
namespace {

// Runs the whole flood on a libuv worker thread: the JS thread stays free (or may be stalled on
// purpose by a backlog benchmark) while the sender runs.
class FloodWorker final : public Napi::AsyncWorker {
 public:
  FloodWorker(Napi::Env env, rtm_emulator::FloodOptions options)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), options_(std::move(options)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }
  void Execute() override { ok_ = rtm_emulator::runFlood(options_, &result_); }
  void OnOK() override {
    Napi::Env env = Env();
    if (!ok_) {
      deferred_.Reject(Napi::Error::New(env, "emulatorFlood: " + result_.error).Value());
      return;
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("sent", Napi::Number::New(env, static_cast<double>(result_.sent)));
    out.Set("delivered", Napi::Number::New(env, static_cast<double>(result_.delivered)));
    out.Set("failed", Napi::Number::New(env, static_cast<double>(result_.failed)));
    out.Set("elapsedMs", Napi::Number::New(env, result_.elapsedMs));
    out.Set("received", Napi::Number::New(env, static_cast<double>(result_.received)));
    out.Set("receiveMs", Napi::Number::New(env, result_.receiveMs));
    out.Set("latencyP50Us", Napi::Number::New(env, result_.latencyP50Us));
    out.Set("latencyP99Us", Napi::Number::New(env, result_.latencyP99Us));
    deferred_.Resolve(out);
  }

 private:
  Napi::Promise::Deferred deferred_;
  const rtm_emulator::FloodOptions options_;
  bool ok_ = false;
  rtm_emulator::FloodResult result_;
};

Napi::Value EmulatorFlood(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  rtm_emulator::FloodOptions options;
  options.serviceUrl = StringArg(info[0], "serviceUrl");
  options.senderId = StringArg(info[1], "senderId");
  options.target = StringArg(info[2], "target");
  options.channel = BoolArg(info[3], "channel");
  options.count = Int32Arg(info[4], "count");
  options.textBytes = Int32Arg(info[5], "textBytes");
  options.window = Int32Arg(info[6], "window");
  options.ratePerSecond = Int32Arg(info[7], "ratePerSecond");
  options.stampTime = BoolArg(info[8], "stampTime");
  options.cppReceiver = info[9].IsUndefined() ? false : BoolArg(info[9], "cppReceiver");
  if (options.count < 0 || options.textBytes < 1 || options.textBytes > 32 * 1024 || options.window < 1 ||
      options.ratePerSecond < 0) {
    throw Napi::RangeError::New(env, "emulatorFlood: count ≥ 0, 1 ≤ textBytes ≤ 32768, window ≥ 1, ratePerSecond ≥ 0");
  }
  auto* worker = new FloodWorker(env, std::move(options));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

void ExportLoadGenerator(Napi::Env env, Napi::Object exports) {
  exports.Set("emulatorFlood", Napi::Function::New(env, EmulatorFlood, "emulatorFlood"));
}

}  // namespace rtm_binding
