// Placeholder until the emulator lands.
#include "rtm_emulator/emulator.h"
