// Everything a binding or a backend needs: include this one header.
#pragma once
#include "rtm/rtm_service.h"
#include "rtm/rtm_call_manager.h"
