// answerTo, for the files of RtmServiceImpl whose requests go through its pipeline (peer messages,
// presence, user attributes): the completion function handed to the ServiceConnection, which
// brings the service's answer back to the client through the session's ClientLink as the result
// of the pending request `key`. A template (one instance per answer signature), hence a header.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "client/client_link.h"
#include "client/rtm_service_impl.h"

namespace rtm_emulator {

template <typename MakeCall>
auto answerTo(const std::shared_ptr<ClientLink>& link, std::uint64_t key, MakeCall makeCall) {
  return [link, key, makeCall](auto&&... args) {
    RtmServiceImpl::HandlerCall call = makeCall(args...);
    // On the client's own pump (in process, nearly every answer): no lock of the link.
    if (RtmServiceImpl::completeOnOwnPump(*link, key, call)) return;
    link->forward([&](RtmServiceImpl& client, std::uint64_t epoch) { client.completeRequest(epoch, key, std::move(call)); });
  };
}

}  // namespace rtm_emulator
