// Counts the SDK objects the emulator has handed out and not yet freed (rtm_emulator::liveObjectCount).
#pragma once

namespace rtm_emulator {

// Add as a member to every object handed to the application: construction counts up,
// destruction counts down (copies count as objects of their own).
class LiveObject {
 public:
  LiveObject() noexcept;
  LiveObject(const LiveObject&) noexcept;
  LiveObject& operator=(const LiveObject&) noexcept { return *this; }
  ~LiveObject();
};

long long currentLiveObjects() noexcept;

}  // namespace rtm_emulator
