// Force-included into every translation unit of a portable build (RTM_PORTABLE, the shipped
// prebuilds). GCC 10's libstdc++ waits on steady_clock deadlines with pthread_cond_clockwait,
// which exists from glibc 2.30 only; without this macro the same header code converts the
// deadline to system_clock and waits with pthread_cond_timedwait, present since glibc 2.3.2.
// That keeps the binaries loadable down to glibc 2.28 (Node 20's own floor); a wall-clock jump
// during one wait can stretch or shorten that wait, and our waits re-check their deadline.
#pragma once
#include <bits/c++config.h>
#undef _GLIBCXX_USE_PTHREAD_COND_CLOCKWAIT
