#include "client/live_objects.h"

#include <atomic>

namespace rtm_emulator {
namespace {
// A plain atomic has a trivial destructor, so no static-destruction order issue at exit.
std::atomic<long long> g_live{0};
}  // namespace

LiveObject::LiveObject() noexcept { g_live.fetch_add(1, std::memory_order_relaxed); }
LiveObject::LiveObject(const LiveObject&) noexcept { g_live.fetch_add(1, std::memory_order_relaxed); }
LiveObject::~LiveObject() { g_live.fetch_sub(1, std::memory_order_relaxed); }

long long currentLiveObjects() noexcept { return g_live.load(std::memory_order_relaxed); }

}  // namespace rtm_emulator
