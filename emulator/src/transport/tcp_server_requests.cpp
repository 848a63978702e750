// TcpServer's request decoding: each request a client sends (docs/PROTOCOL.md), checked, turned
// into the same ServiceConnection call an in-process client makes, and its answer written back.
#include "transport/tcp_server_impl.h"

namespace rtm_emulator {

using tcp_server_detail::ChannelProxy;
using tcp_server_detail::response;

void TcpServer::Impl::handleRequest(const std::shared_ptr<Conn>& conn, Kind kind, Reader& r) {
  std::weak_ptr<Impl> weakSelf = weak_from_this();
  std::weak_ptr<Conn> weakConn = conn;
  // Answers go back on the connection the request came on, if it is still open.
  auto reply = [weakSelf, weakConn](const std::string& frame) {
    std::shared_ptr<Impl> self = weakSelf.lock();
    std::shared_ptr<Conn> c = weakConn.lock();
    return self && c && self->send(c, frame);
  };
  // The answer of a request whose result is one code.
  auto codeTo = [reply](std::uint32_t id) {
    return [reply, id](auto code) { reply(response(id).i32(static_cast<std::int32_t>(code)).finish()); };
  };
  // After a request's fields: a malformed frame closes the connection; a connection acts only for
  // the session it carries, so a request naming another one is ignored, as a stale one is.
  auto accept = [&](const std::string& userId, std::uint64_t sessionId) {
    if (!r.done()) {
      close(conn);
      return false;
    }
    return conn->session && conn->session->userId() == userId && conn->session->sessionId() == sessionId &&
           sessionId != 0;
  };

  if (kind == Kind::Login) {
    const std::uint32_t id = r.u32();
    const std::string appId = r.str();
    const std::string userId = r.str();
    const std::string token = r.str();
    if (!r.done()) return close(conn);
    auto proxy = std::make_shared<SessionProxy>(weakSelf, conn, userId);
    conn->session = proxy;
    {
      std::lock_guard<std::mutex> lock(sessionsMu_);
      sessions_[userId] = proxy;
    }
    local_->login(appId, userId, token, proxy, [reply, id, proxy](const LoginAnswer& answer) {
      if (answer.code == LOGIN_ERR_OK) proxy->setSessionId(answer.sessionId);
      return reply(response(id).i32(answer.code).u64(answer.sessionId).finish());
    });
    return;
  }
  if (kind == Kind::Resume) return handleResume(conn, r.u32(), r);
  if (kind == Kind::PeerMessageAck) {
    const std::uint32_t delivery = r.u32();
    const bool taken = r.u8() != 0;
    if (!r.done()) return close(conn);
    if (conn->session) conn->session->acked(delivery, taken);
    return;
  }
  if (kind >= Kind::InvitationAttach && kind <= Kind::InvitationCancel) return handleInvitation(conn, kind, r);

  // Every other request names its session first: id userId sessionId.
  const std::uint32_t id = r.u32();
  const std::string userId = r.str();
  const std::uint64_t sessionId = r.u64();
  ChannelConnection* channels = local_->channels();
  switch (kind) {
    case Kind::Logout:
      // Answered once done (or refused as another session's), so that a client can tell its
      // logout is known to the service before it reports it.
      if (accept(userId, sessionId)) local_->logout(userId, sessionId);
      if (conn->hello && !conn->closed) send(conn, response(id).finish());
      return;
    case Kind::RenewToken: {
      const std::string token = r.str();
      if (accept(userId, sessionId)) local_->renewToken(userId, sessionId, token, codeTo(id));
      return;
    }
    case Kind::PeerMessage: {
      const std::string peerId = r.str();
      auto message = std::make_shared<PeerMessageData>(r.message());
      const bool offline = r.u8() != 0;
      if (accept(userId, sessionId)) {
        local_->sendPeerMessage(userId, sessionId, peerId, std::move(message), offline, codeTo(id));
      }
      return;
    }
    case Kind::QueryPeers: {
      std::vector<std::string> peers = r.strings();
      if (!accept(userId, sessionId)) return;
      local_->queryPeersOnlineStatus(userId, sessionId, std::move(peers), [reply, id](const std::vector<PeerStatusData>& s) {
        reply(response(id).statuses(s).finish());
      });
      return;
    }
    case Kind::SubscribePeers: {
      std::vector<std::string> peers = r.strings();
      const bool subscribe = r.u8() != 0;
      if (!accept(userId, sessionId)) return;
      local_->subscribePeers(userId, sessionId, std::move(peers), subscribe,
                             [reply, id](PEER_SUBSCRIPTION_STATUS_ERR code, const std::vector<PeerStatusData>& s) {
                               reply(response(id).i32(code).statuses(s).finish());
                             });
      return;
    }
    case Kind::QuerySubscribed:
      if (!accept(userId, sessionId)) return;
      local_->querySubscribedPeers(userId, sessionId, [reply, id](const std::vector<std::string>& peers) {
        reply(response(id).strings(peers).finish());
      });
      return;
    case Kind::WriteUserAttributes: {
      const std::uint8_t op = r.u8();
      AttributeList attributes = r.pairs();
      if (op > static_cast<std::uint8_t>(AttributeWrite::Clear)) return close(conn);
      if (!accept(userId, sessionId)) return;
      local_->writeUserAttributes(userId, sessionId, static_cast<AttributeWrite>(op), std::move(attributes), codeTo(id));
      return;
    }
    case Kind::GetUserAttributes: {
      const std::string target = r.str();
      const bool all = r.u8() != 0;
      std::vector<std::string> keys = r.strings();
      if (!accept(userId, sessionId)) return;
      local_->getUserAttributes(userId, sessionId, target, all, std::move(keys),
                                [reply, id](ATTRIBUTE_OPERATION_ERR code, const AttributeList& attributes) {
                                  reply(response(id).i32(code).pairs(attributes).finish());
                                });
      return;
    }
    case Kind::Join: {
      const std::string channelId = r.str();
      if (!accept(userId, sessionId)) return;
      auto link = std::make_shared<ChannelProxy>(conn->session, channelId);
      channels->joinChannel(userId, sessionId, channelId, link, [reply, id](JOIN_CHANNEL_ERR code, int count) {
        reply(response(id).i32(code).i32(count).finish());
      });
      return;
    }
    case Kind::Leave: {
      const std::string channelId = r.str();
      if (accept(userId, sessionId)) channels->leaveChannel(userId, sessionId, channelId, codeTo(id));
      return;
    }
    case Kind::ChannelMessage: {
      const std::string channelId = r.str();
      auto message = std::make_shared<PeerMessageData>(r.message());
      if (accept(userId, sessionId)) channels->sendChannelMessage(userId, sessionId, channelId, std::move(message), codeTo(id));
      return;
    }
    case Kind::GetMembers: {
      const std::string channelId = r.str();
      if (!accept(userId, sessionId)) return;
      channels->getChannelMembers(userId, sessionId, channelId,
                                  [reply, id](GET_MEMBERS_ERR code, const std::vector<std::string>& members) {
                                    reply(response(id).i32(code).strings(members).finish());
                                  });
      return;
    }
    case Kind::WriteChannelAttributes: {
      const std::string channelId = r.str();
      const std::uint8_t op = r.u8();
      AttributeList attributes = r.pairs();
      const bool notify = r.u8() != 0;
      if (op > static_cast<std::uint8_t>(AttributeWrite::Clear)) return close(conn);
      if (!accept(userId, sessionId)) return;
      channels->writeChannelAttributes(userId, sessionId, channelId, static_cast<AttributeWrite>(op), std::move(attributes),
                                       notify, codeTo(id));
      return;
    }
    case Kind::GetChannelAttributes: {
      const std::string channelId = r.str();
      const bool all = r.u8() != 0;
      std::vector<std::string> keys = r.strings();
      if (!accept(userId, sessionId)) return;
      channels->getChannelAttributes(userId, sessionId, channelId, all, std::move(keys),
                                     [reply, id](ATTRIBUTE_OPERATION_ERR code, const ChannelAttributeList& list) {
                                       reply(response(id).i32(code).channelAttributes(list).finish());
                                     });
      return;
    }
    case Kind::GetMemberCounts: {
      std::vector<std::string> channelIds = r.strings();
      if (!accept(userId, sessionId)) return;
      channels->getChannelMemberCounts(userId, sessionId, std::move(channelIds), [reply, id](const std::vector<int>& counts) {
        Writer w = response(id);
        w.u32(static_cast<std::uint32_t>(counts.size()));
        for (int c : counts) w.i32(c);
        reply(w.finish());
      });
      return;
    }
    default:
      return close(conn);  // not a request a client sends
  }
}

void TcpServer::Impl::handleInvitation(const std::shared_ptr<Conn>& conn, Kind kind, Reader& r) {
  // As in handleRequest: malformed closes; only the connection's own session may speak.
  auto valid = [&](const std::string& userId, std::uint64_t sessionId, bool anySession) {
    if (!r.done()) {
      close(conn);
      return false;
    }
    return conn->session && conn->session->userId() == userId &&
           (anySession || (conn->session->sessionId() == sessionId && sessionId != 0));
  };
  InvitationCore& invitations = core_->invitations();
  switch (kind) {
    case Kind::InvitationAttach:
    case Kind::InvitationDetach: {
      const std::string userId = r.str();
      const std::uint64_t sessionId = r.u64();
      if (!valid(userId, sessionId, false)) return;
      if (kind == Kind::InvitationAttach) {
        invitations.attach(userId, sessionId, std::weak_ptr<InvitationLink>(conn->session));
      } else {
        invitations.detach(userId, sessionId);
      }
      return;
    }
    case Kind::InvitationOffer: {
      const std::uint32_t id = r.u32();
      const InvitationOffer offer = r.offer();
      if (!valid(offer.callerId, offer.callerSessionId, false)) return;
      std::uint64_t calleeSessionId = 0;
      const bool taken = invitations.offer(offer, &calleeSessionId);
      send(conn, response(id).u8(taken ? 1 : 0).u64(calleeSessionId).finish());
      return;
    }
    case Kind::InvitationAck:
    case Kind::InvitationAnswer: {
      const std::string calleeId = r.str();
      const std::uint64_t calleeSessionId = r.u64();
      const std::string callerId = r.str();
      const std::uint64_t callerSessionId = r.u64();
      const std::uint64_t invitationId = r.u64();
      const bool answer = kind == Kind::InvitationAnswer;
      const bool accepted = answer && r.u8() != 0;
      const std::string responseText = answer ? r.str() : std::string();
      if (!valid(calleeId, calleeSessionId, false)) return;
      if (answer) {
        invitations.answer(calleeId, calleeSessionId, callerId, callerSessionId, invitationId, accepted, responseText);
      } else {
        invitations.acknowledge(calleeId, calleeSessionId, callerId, callerSessionId, invitationId);
      }
      return;
    }
    case Kind::InvitationAckAnswer:
    case Kind::InvitationCancel: {
      const std::string callerId = r.str();
      const std::string calleeId = r.str();
      const std::uint64_t calleeSessionId = r.u64();
      const std::uint64_t invitationId = r.u64();
      if (!valid(callerId, 0, true)) return;
      if (kind == Kind::InvitationCancel) {
        invitations.cancel(callerId, calleeId, calleeSessionId, invitationId);
      } else {
        invitations.acknowledgeAnswer(callerId, calleeId, calleeSessionId, invitationId);
      }
      return;
    }
    default:
      return close(conn);
  }
}

}  // namespace rtm_emulator
