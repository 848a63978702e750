// Pins include/ to the RTM 1.x Linux x86-64 ABI (SDK v1.2.2, shared/rtm-abi.md).
// Compile-time: enum values, struct layout, destructor access, and for every interface a final
// class that overrides every method with `override` (a missing, extra or mistyped method in
// include/ stops the build). Run time: the vtable byte offset of every method, read from its
// pointer-to-member (Itanium ABI: ptr = 1 + offset), and each vtable's length.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "agora_rtm.h"

using namespace agora::rtm;

static int g_failed = 0;
static int g_passed = 0;

template <typename M>
static long long vtableOffset(M member) {
  static_assert(sizeof(M) == 2 * sizeof(void*), "Itanium pointer-to-member-function");
  std::uintptr_t raw[2];
  std::memcpy(raw, &member, sizeof raw);
  if ((raw[0] & 1u) == 0) return -1;  // not virtual
  return static_cast<long long>(raw[0] - 1);
}

static void expectOffset(const char* what, long long got, long long want) {
  if (got == want) {
    ++g_passed;
  } else {
    ++g_failed;
    std::printf("FAIL %s: vtable offset 0x%llx, expected 0x%llx\n", what, got, want);
  }
}

#define SLOT(Class, Name, Type, Offset) \
  expectOffset(#Class "::" #Name, vtableOffset(static_cast<Type>(&Class::Name)), Offset)


// ---- enum values -------------------------------------------------------------------
static_assert(INIT_ERR_OK == 0, "INIT_ERR_CODE::INIT_ERR_OK");
static_assert(INIT_ERR_FAILURE == 1, "INIT_ERR_CODE::INIT_ERR_FAILURE");
static_assert(INIT_ERR_ALREADY_INITIALIZED == 2, "INIT_ERR_CODE::INIT_ERR_ALREADY_INITIALIZED");
static_assert(INIT_ERR_INVALID_APP_ID == 3, "INIT_ERR_CODE::INIT_ERR_INVALID_APP_ID");
static_assert(INIT_ERR_INVALID_ARGUMENT == 4, "INIT_ERR_CODE::INIT_ERR_INVALID_ARGUMENT");
static_assert(sizeof(INIT_ERR_CODE) == 4, "INIT_ERR_CODE is 4 bytes");
static_assert(LOGIN_ERR_OK == 0, "LOGIN_ERR_CODE::LOGIN_ERR_OK");
static_assert(LOGIN_ERR_UNKNOWN == 1, "LOGIN_ERR_CODE::LOGIN_ERR_UNKNOWN");
static_assert(LOGIN_ERR_REJECTED == 2, "LOGIN_ERR_CODE::LOGIN_ERR_REJECTED");
static_assert(LOGIN_ERR_INVALID_ARGUMENT == 3, "LOGIN_ERR_CODE::LOGIN_ERR_INVALID_ARGUMENT");
static_assert(LOGIN_ERR_INVALID_APP_ID == 4, "LOGIN_ERR_CODE::LOGIN_ERR_INVALID_APP_ID");
static_assert(LOGIN_ERR_INVALID_TOKEN == 5, "LOGIN_ERR_CODE::LOGIN_ERR_INVALID_TOKEN");
static_assert(LOGIN_ERR_TOKEN_EXPIRED == 6, "LOGIN_ERR_CODE::LOGIN_ERR_TOKEN_EXPIRED");
static_assert(LOGIN_ERR_NOT_AUTHORIZED == 7, "LOGIN_ERR_CODE::LOGIN_ERR_NOT_AUTHORIZED");
static_assert(LOGIN_ERR_ALREADY_LOGGED_IN == 8, "LOGIN_ERR_CODE::LOGIN_ERR_ALREADY_LOGGED_IN");
static_assert(LOGIN_ERR_TIMEOUT == 9, "LOGIN_ERR_CODE::LOGIN_ERR_TIMEOUT");
static_assert(LOGIN_ERR_TOO_OFTEN == 10, "LOGIN_ERR_CODE::LOGIN_ERR_TOO_OFTEN");
static_assert(LOGIN_ERR_NOT_INITIALIZED == 101, "LOGIN_ERR_CODE::LOGIN_ERR_NOT_INITIALIZED");
static_assert(sizeof(LOGIN_ERR_CODE) == 4, "LOGIN_ERR_CODE is 4 bytes");
static_assert(LOGOUT_ERR_OK == 0, "LOGOUT_ERR_CODE::LOGOUT_ERR_OK");
static_assert(LOGOUT_ERR_REJECTED == 1, "LOGOUT_ERR_CODE::LOGOUT_ERR_REJECTED");
static_assert(LOGOUT_ERR_NOT_INITIALIZED == 101, "LOGOUT_ERR_CODE::LOGOUT_ERR_NOT_INITIALIZED");
static_assert(LOGOUT_ERR_USER_NOT_LOGGED_IN == 102, "LOGOUT_ERR_CODE::LOGOUT_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(LOGOUT_ERR_CODE) == 4, "LOGOUT_ERR_CODE is 4 bytes");
static_assert(RENEW_TOKEN_ERR_OK == 0, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_OK");
static_assert(RENEW_TOKEN_ERR_FAILURE == 1, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_FAILURE");
static_assert(RENEW_TOKEN_ERR_INVALID_ARGUMENT == 2, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_INVALID_ARGUMENT");
static_assert(RENEW_TOKEN_ERR_REJECTED == 3, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_REJECTED");
static_assert(RENEW_TOKEN_ERR_TOO_OFTEN == 4, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_TOO_OFTEN");
static_assert(RENEW_TOKEN_ERR_TOKEN_EXPIRED == 5, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_TOKEN_EXPIRED");
static_assert(RENEW_TOKEN_ERR_INVALID_TOKEN == 6, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_INVALID_TOKEN");
static_assert(RENEW_TOKEN_ERR_NOT_INITIALIZED == 101, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_NOT_INITIALIZED");
static_assert(RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN == 102, "RENEW_TOKEN_ERR_CODE::RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(RENEW_TOKEN_ERR_CODE) == 4, "RENEW_TOKEN_ERR_CODE is 4 bytes");
static_assert(CONNECTION_STATE_DISCONNECTED == 1, "CONNECTION_STATE::CONNECTION_STATE_DISCONNECTED");
static_assert(CONNECTION_STATE_CONNECTING == 2, "CONNECTION_STATE::CONNECTION_STATE_CONNECTING");
static_assert(CONNECTION_STATE_CONNECTED == 3, "CONNECTION_STATE::CONNECTION_STATE_CONNECTED");
static_assert(CONNECTION_STATE_RECONNECTING == 4, "CONNECTION_STATE::CONNECTION_STATE_RECONNECTING");
static_assert(CONNECTION_STATE_ABORTED == 5, "CONNECTION_STATE::CONNECTION_STATE_ABORTED");
static_assert(sizeof(CONNECTION_STATE) == 4, "CONNECTION_STATE is 4 bytes");
static_assert(CONNECTION_CHANGE_REASON_LOGIN == 1, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_LOGIN");
static_assert(CONNECTION_CHANGE_REASON_LOGIN_SUCCESS == 2, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_LOGIN_SUCCESS");
static_assert(CONNECTION_CHANGE_REASON_LOGIN_FAILURE == 3, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_LOGIN_FAILURE");
static_assert(CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT == 4, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT");
static_assert(CONNECTION_CHANGE_REASON_INTERRUPTED == 5, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_INTERRUPTED");
static_assert(CONNECTION_CHANGE_REASON_LOGOUT == 6, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_LOGOUT");
static_assert(CONNECTION_CHANGE_REASON_BANNED_BY_SERVER == 7, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_BANNED_BY_SERVER");
static_assert(CONNECTION_CHANGE_REASON_REMOTE_LOGIN == 8, "CONNECTION_CHANGE_REASON::CONNECTION_CHANGE_REASON_REMOTE_LOGIN");
static_assert(sizeof(CONNECTION_CHANGE_REASON) == 4, "CONNECTION_CHANGE_REASON is 4 bytes");
static_assert(PEER_MESSAGE_ERR_OK == 0, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_OK");
static_assert(PEER_MESSAGE_ERR_FAILURE == 1, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_FAILURE");
static_assert(PEER_MESSAGE_ERR_SENT_TIMEOUT == 2, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_SENT_TIMEOUT");
static_assert(PEER_MESSAGE_ERR_PEER_UNREACHABLE == 3, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_PEER_UNREACHABLE");
static_assert(PEER_MESSAGE_ERR_CACHED_BY_SERVER == 4, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_CACHED_BY_SERVER");
static_assert(PEER_MESSAGE_ERR_TOO_OFTEN == 5, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_TOO_OFTEN");
static_assert(PEER_MESSAGE_ERR_INVALID_USERID == 6, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_INVALID_USERID");
static_assert(PEER_MESSAGE_ERR_INVALID_MESSAGE == 7, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_INVALID_MESSAGE");
static_assert(PEER_MESSAGE_ERR_NOT_INITIALIZED == 101, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_NOT_INITIALIZED");
static_assert(PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN == 102, "PEER_MESSAGE_ERR_CODE::PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(PEER_MESSAGE_ERR_CODE) == 4, "PEER_MESSAGE_ERR_CODE is 4 bytes");
static_assert(JOIN_CHANNEL_ERR_OK == 0, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_OK");
static_assert(JOIN_CHANNEL_ERR_FAILURE == 1, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_FAILURE");
static_assert(JOIN_CHANNEL_ERR_REJECTED == 2, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_REJECTED");
static_assert(JOIN_CHANNEL_ERR_INVALID_ARGUMENT == 3, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_INVALID_ARGUMENT");
static_assert(JOIN_CHANNEL_TIMEOUT == 4, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_TIMEOUT");
static_assert(JOIN_CHANNEL_ERR_EXCEED_LIMIT == 5, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_EXCEED_LIMIT");
static_assert(JOIN_CHANNEL_ERR_ALREADY_JOINED == 6, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_ALREADY_JOINED");
static_assert(JOIN_CHANNEL_ERR_TOO_OFTEN == 7, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_TOO_OFTEN");
static_assert(JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN == 8, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN");
static_assert(JOIN_CHANNEL_ERR_NOT_INITIALIZED == 101, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_NOT_INITIALIZED");
static_assert(JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN == 102, "JOIN_CHANNEL_ERR::JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(JOIN_CHANNEL_ERR) == 4, "JOIN_CHANNEL_ERR is 4 bytes");
static_assert(LEAVE_CHANNEL_ERR_OK == 0, "LEAVE_CHANNEL_ERR::LEAVE_CHANNEL_ERR_OK");
static_assert(LEAVE_CHANNEL_ERR_FAILURE == 1, "LEAVE_CHANNEL_ERR::LEAVE_CHANNEL_ERR_FAILURE");
static_assert(LEAVE_CHANNEL_ERR_REJECTED == 2, "LEAVE_CHANNEL_ERR::LEAVE_CHANNEL_ERR_REJECTED");
static_assert(LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL == 3, "LEAVE_CHANNEL_ERR::LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL");
static_assert(LEAVE_CHANNEL_ERR_NOT_INITIALIZED == 101, "LEAVE_CHANNEL_ERR::LEAVE_CHANNEL_ERR_NOT_INITIALIZED");
static_assert(LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN == 102, "LEAVE_CHANNEL_ERR::LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(LEAVE_CHANNEL_ERR) == 4, "LEAVE_CHANNEL_ERR is 4 bytes");
static_assert(LEAVE_CHANNEL_REASON_QUIT == 1, "LEAVE_CHANNEL_REASON::LEAVE_CHANNEL_REASON_QUIT");
static_assert(LEAVE_CHANNEL_REASON_KICKED == 2, "LEAVE_CHANNEL_REASON::LEAVE_CHANNEL_REASON_KICKED");
static_assert(sizeof(LEAVE_CHANNEL_REASON) == 4, "LEAVE_CHANNEL_REASON is 4 bytes");
static_assert(CHANNEL_MESSAGE_ERR_OK == 0, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_OK");
static_assert(CHANNEL_MESSAGE_ERR_FAILURE == 1, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_FAILURE");
static_assert(CHANNEL_MESSAGE_ERR_SENT_TIMEOUT == 2, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_SENT_TIMEOUT");
static_assert(CHANNEL_MESSAGE_ERR_TOO_OFTEN == 3, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_TOO_OFTEN");
static_assert(CHANNEL_MESSAGE_ERR_INVALID_MESSAGE == 4, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_INVALID_MESSAGE");
static_assert(CHANNEL_MESSAGE_ERR_NOT_INITIALIZED == 101, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_NOT_INITIALIZED");
static_assert(CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN == 102, "CHANNEL_MESSAGE_ERR_CODE::CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(CHANNEL_MESSAGE_ERR_CODE) == 4, "CHANNEL_MESSAGE_ERR_CODE is 4 bytes");
static_assert(GET_MEMBERS_ERR_OK == 0, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_OK");
static_assert(GET_MEMBERS_ERR_FAILURE == 1, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_FAILURE");
static_assert(GET_MEMBERS_ERR_REJECTED == 2, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_REJECTED");
static_assert(GET_MEMBERS_ERR_TIMEOUT == 3, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_TIMEOUT");
static_assert(GET_MEMBERS_ERR_TOO_OFTEN == 4, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_TOO_OFTEN");
static_assert(GET_MEMBERS_ERR_NOT_IN_CHANNEL == 5, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_NOT_IN_CHANNEL");
static_assert(GET_MEMBERS_ERR_NOT_INITIALIZED == 101, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_NOT_INITIALIZED");
static_assert(GET_MEMBERS_ERR_USER_NOT_LOGGED_IN == 102, "GET_MEMBERS_ERR::GET_MEMBERS_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(GET_MEMBERS_ERR) == 4, "GET_MEMBERS_ERR is 4 bytes");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_OK == 0, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_OK");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE == 1, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT == 2, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_REJECTED == 3, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_REJECTED");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT == 4, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN == 5, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_NOT_INITIALIZED == 101, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_NOT_INITIALIZED");
static_assert(QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN == 102, "QUERY_PEERS_ONLINE_STATUS_ERR::QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(QUERY_PEERS_ONLINE_STATUS_ERR) == 4, "QUERY_PEERS_ONLINE_STATUS_ERR is 4 bytes");
static_assert(PEER_ONLINE_STATE_ONLINE == 0, "PEER_ONLINE_STATE::PEER_ONLINE_STATE_ONLINE");
static_assert(PEER_ONLINE_STATE_UNREACHABLE == 1, "PEER_ONLINE_STATE::PEER_ONLINE_STATE_UNREACHABLE");
static_assert(PEER_ONLINE_STATE_OFFLINE == 2, "PEER_ONLINE_STATE::PEER_ONLINE_STATE_OFFLINE");
static_assert(sizeof(PEER_ONLINE_STATE) == 4, "PEER_ONLINE_STATE is 4 bytes");
static_assert(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS == 0, "PEER_SUBSCRIPTION_OPTION::PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS");
static_assert(sizeof(PEER_SUBSCRIPTION_OPTION) == 4, "PEER_SUBSCRIPTION_OPTION is 4 bytes");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_OK == 0, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_OK");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE == 1, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_FAILURE");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT == 2, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_REJECTED == 3, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_REJECTED");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT == 4, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN == 5, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW == 6, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_NOT_INITIALIZED == 101, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_NOT_INITIALIZED");
static_assert(PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN == 102, "PEER_SUBSCRIPTION_STATUS_ERR::PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(PEER_SUBSCRIPTION_STATUS_ERR) == 4, "PEER_SUBSCRIPTION_STATUS_ERR is 4 bytes");
static_assert(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK == 0, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK");
static_assert(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE == 1, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE");
static_assert(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT == 2, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT");
static_assert(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN == 3, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN");
static_assert(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_NOT_INITIALIZED == 101, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_NOT_INITIALIZED");
static_assert(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN == 102, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR) == 4, "QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR is 4 bytes");
static_assert(ATTRIBUTE_OPERATION_ERR_OK == 0, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_OK");
static_assert(ATTRIBUTE_OPERATION_ERR_NOT_READY == 1, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_NOT_READY");
static_assert(ATTRIBUTE_OPERATION_ERR_FAILURE == 2, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_FAILURE");
static_assert(ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT == 3, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT");
static_assert(ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW == 4, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW");
static_assert(ATTRIBUTE_OPERATION_ERR_TOO_OFTEN == 5, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_TOO_OFTEN");
static_assert(ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND == 6, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND");
static_assert(ATTRIBUTE_OPERATION_ERR_TIMEOUT == 7, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_TIMEOUT");
static_assert(ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED == 101, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED");
static_assert(ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN == 102, "ATTRIBUTE_OPERATION_ERR::ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(ATTRIBUTE_OPERATION_ERR) == 4, "ATTRIBUTE_OPERATION_ERR is 4 bytes");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_OK == 0, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_OK");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE == 1, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT == 2, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN == 3, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT == 4, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT == 5, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_NOT_INITIALIZED == 101, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_NOT_INITIALIZED");
static_assert(GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN == 102, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE::GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN");
static_assert(sizeof(GET_CHANNEL_MEMBER_COUNT_ERR_CODE) == 4, "GET_CHANNEL_MEMBER_COUNT_ERR_CODE is 4 bytes");
static_assert(MESSAGE_TYPE_UNDEFINED == 0, "MESSAGE_TYPE::MESSAGE_TYPE_UNDEFINED");
static_assert(MESSAGE_TYPE_TEXT == 1, "MESSAGE_TYPE::MESSAGE_TYPE_TEXT");
static_assert(MESSAGE_TYPE_RAW == 2, "MESSAGE_TYPE::MESSAGE_TYPE_RAW");
static_assert(sizeof(MESSAGE_TYPE) == 4, "MESSAGE_TYPE is 4 bytes");
static_assert(LOG_FILTER_OFF == 0, "LOG_FILTER_TYPE::LOG_FILTER_OFF");
static_assert(LOG_FILTER_INFO == 15, "LOG_FILTER_TYPE::LOG_FILTER_INFO");
static_assert(LOG_FILTER_WARN == 14, "LOG_FILTER_TYPE::LOG_FILTER_WARN");
static_assert(LOG_FILTER_ERROR == 12, "LOG_FILTER_TYPE::LOG_FILTER_ERROR");
static_assert(LOG_FILTER_CRITICAL == 8, "LOG_FILTER_TYPE::LOG_FILTER_CRITICAL");
static_assert(LOG_FILTER_MASK == 2063, "LOG_FILTER_TYPE::LOG_FILTER_MASK");
static_assert(sizeof(LOG_FILTER_TYPE) == 4, "LOG_FILTER_TYPE is 4 bytes");
static_assert(LOCAL_INVITATION_STATE_IDLE == 0, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_IDLE");
static_assert(LOCAL_INVITATION_STATE_SENT_TO_REMOTE == 1, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_SENT_TO_REMOTE");
static_assert(LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE == 2, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE");
static_assert(LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE == 3, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE");
static_assert(LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE == 4, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE");
static_assert(LOCAL_INVITATION_STATE_CANCELED == 5, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_CANCELED");
static_assert(LOCAL_INVITATION_STATE_FAILURE == 6, "LOCAL_INVITATION_STATE::LOCAL_INVITATION_STATE_FAILURE");
static_assert(sizeof(LOCAL_INVITATION_STATE) == 4, "LOCAL_INVITATION_STATE is 4 bytes");
static_assert(REMOTE_INVITATION_STATE_IDLE == 0, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_IDLE");
static_assert(REMOTE_INVITATION_STATE_INVITATION_RECEIVED == 1, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_INVITATION_RECEIVED");
static_assert(REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL == 2, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL");
static_assert(REMOTE_INVITATION_STATE_REFUSED == 3, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_REFUSED");
static_assert(REMOTE_INVITATION_STATE_ACCEPTED == 4, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_ACCEPTED");
static_assert(REMOTE_INVITATION_STATE_CANCELED == 5, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_CANCELED");
static_assert(REMOTE_INVITATION_STATE_FAILURE == 6, "REMOTE_INVITATION_STATE::REMOTE_INVITATION_STATE_FAILURE");
static_assert(sizeof(REMOTE_INVITATION_STATE) == 4, "REMOTE_INVITATION_STATE is 4 bytes");
static_assert(LOCAL_INVITATION_ERR_OK == 0, "LOCAL_INVITATION_ERR_CODE::LOCAL_INVITATION_ERR_OK");
static_assert(LOCAL_INVITATION_ERR_PEER_OFFLINE == 1, "LOCAL_INVITATION_ERR_CODE::LOCAL_INVITATION_ERR_PEER_OFFLINE");
static_assert(LOCAL_INVITATION_ERR_PEER_NO_RESPONSE == 2, "LOCAL_INVITATION_ERR_CODE::LOCAL_INVITATION_ERR_PEER_NO_RESPONSE");
static_assert(LOCAL_INVITATION_ERR_INVITATION_EXPIRE == 3, "LOCAL_INVITATION_ERR_CODE::LOCAL_INVITATION_ERR_INVITATION_EXPIRE");
static_assert(LOCAL_INVITATION_ERR_NOT_LOGGEDIN == 4, "LOCAL_INVITATION_ERR_CODE::LOCAL_INVITATION_ERR_NOT_LOGGEDIN");
static_assert(sizeof(LOCAL_INVITATION_ERR_CODE) == 4, "LOCAL_INVITATION_ERR_CODE is 4 bytes");
static_assert(REMOTE_INVITATION_ERR_OK == 0, "REMOTE_INVITATION_ERR_CODE::REMOTE_INVITATION_ERR_OK");
static_assert(REMOTE_INVITATION_ERR_PEER_OFFLINE == 1, "REMOTE_INVITATION_ERR_CODE::REMOTE_INVITATION_ERR_PEER_OFFLINE");
static_assert(REMOTE_INVITATION_ERR_ACCEPT_FAILURE == 2, "REMOTE_INVITATION_ERR_CODE::REMOTE_INVITATION_ERR_ACCEPT_FAILURE");
static_assert(REMOTE_INVITATION_ERR_INVITATION_EXPIRE == 3, "REMOTE_INVITATION_ERR_CODE::REMOTE_INVITATION_ERR_INVITATION_EXPIRE");
static_assert(sizeof(REMOTE_INVITATION_ERR_CODE) == 4, "REMOTE_INVITATION_ERR_CODE is 4 bytes");
static_assert(INVITATION_API_CALL_ERR_OK == 0, "INVITATION_API_CALL_ERR_CODE::INVITATION_API_CALL_ERR_OK");
static_assert(INVITATION_API_CALL_ERR_INVALID_ARGUMENT == 1, "INVITATION_API_CALL_ERR_CODE::INVITATION_API_CALL_ERR_INVALID_ARGUMENT");
static_assert(INVITATION_API_CALL_ERR_NOT_STARTED == 2, "INVITATION_API_CALL_ERR_CODE::INVITATION_API_CALL_ERR_NOT_STARTED");
static_assert(INVITATION_API_CALL_ERR_ALREADY_END == 3, "INVITATION_API_CALL_ERR_CODE::INVITATION_API_CALL_ERR_ALREADY_END");
static_assert(INVITATION_API_CALL_ERR_ALREADY_ACCEPT == 4, "INVITATION_API_CALL_ERR_CODE::INVITATION_API_CALL_ERR_ALREADY_ACCEPT");
static_assert(INVITATION_API_CALL_ERR_ALREADY_SENT == 5, "INVITATION_API_CALL_ERR_CODE::INVITATION_API_CALL_ERR_ALREADY_SENT");
static_assert(sizeof(INVITATION_API_CALL_ERR_CODE) == 4, "INVITATION_API_CALL_ERR_CODE is 4 bytes");

// ---- struct layout -----------------------------------------------------------------
static_assert(sizeof(SendMessageOptions) == 2 && alignof(SendMessageOptions) == 1, "SendMessageOptions");
static_assert(offsetof(SendMessageOptions, enableOfflineMessaging) == 0, "SendMessageOptions.enableOfflineMessaging");
static_assert(offsetof(SendMessageOptions, enableHistoricalMessaging) == 1, "SendMessageOptions.enableHistoricalMessaging");
static_assert(!std::is_aggregate_v<SendMessageOptions>, "SendMessageOptions has a constructor");
static_assert(sizeof(RtmAttribute) == 16 && alignof(RtmAttribute) == 8, "RtmAttribute");
static_assert(offsetof(RtmAttribute, key) == 0 && offsetof(RtmAttribute, value) == 8, "RtmAttribute fields");
static_assert(std::is_aggregate_v<RtmAttribute>, "RtmAttribute is an aggregate");
static_assert(sizeof(ChannelAttributeOptions) == 1 && alignof(ChannelAttributeOptions) == 1, "ChannelAttributeOptions");
static_assert(offsetof(ChannelAttributeOptions, enableNotificationToChannelMembers) == 0, "ChannelAttributeOptions field");
static_assert(!std::is_aggregate_v<ChannelAttributeOptions>, "ChannelAttributeOptions has a constructor");
static_assert(sizeof(PeerOnlineStatus) == 16 && alignof(PeerOnlineStatus) == 8, "PeerOnlineStatus");
static_assert(offsetof(PeerOnlineStatus, peerId) == 0, "PeerOnlineStatus.peerId");
static_assert(offsetof(PeerOnlineStatus, isOnline) == 8, "PeerOnlineStatus.isOnline");
static_assert(offsetof(PeerOnlineStatus, onlineState) == 12, "PeerOnlineStatus.onlineState");
static_assert(sizeof(ChannelMemberCount) == 16 && alignof(ChannelMemberCount) == 8, "ChannelMemberCount");
static_assert(offsetof(ChannelMemberCount, channelId) == 0 && offsetof(ChannelMemberCount, count) == 8, "ChannelMemberCount fields");

// ---- entry points ------------------------------------------------------------------
static_assert(std::is_same_v<decltype(&createRtmService), CreateRtmServiceFn>, "createRtmService signature");
static_assert(std::is_same_v<decltype(&getRtmSdkVersion), GetRtmSdkVersionFn>, "getRtmSdkVersion signature");

// ---- interfaces: destructor access and full overrides ------------------------------
static_assert(sizeof(IRtmService) == 8 && std::is_polymorphic_v<IRtmService>, "IRtmService: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IRtmService>, "IRtmService: virtual destructor");
static_assert(!std::is_destructible_v<IRtmService>, "IRtmService: protected destructor (release() frees it)");
class FullIRtmService final : public IRtmService {
 public:
  int initialize(const char*, IRtmServiceEventHandler*) override { return {}; }
  void addEventHandler(IRtmServiceEventHandler*) override {}
  void removeEventHandler(IRtmServiceEventHandler*) override {}
  void release(bool) override {}
  int login(const char*, const char*) override { return {}; }
  int logout() override { return {}; }
  int renewToken(const char*) override { return {}; }
  int sendMessageToPeer(const char*, const IMessage*) override { return {}; }
  int sendMessageToPeer(const char*, const IMessage*, const SendMessageOptions&) override { return {}; }
  IChannel* createChannel(const char*, IChannelEventHandler*) override { return {}; }
  IRtmCallManager* getRtmCallManager(IRtmCallEventHandler*) override { return {}; }
  IMessage* createMessage() override { return {}; }
  IMessage* createMessage(const char*) override { return {}; }
  IMessage* createMessage(const uint8_t*, int) override { return {}; }
  IMessage* createMessage(const uint8_t*, int, const char*) override { return {}; }
  IRtmChannelAttribute* createChannelAttribute() override { return {}; }
  int setParameters(const char*) override { return {}; }
  int queryPeersOnlineStatus(const char**, int, long long&) override { return {}; }
  int subscribePeersOnlineStatus(const char**, int, long long&) override { return {}; }
  int unsubscribePeersOnlineStatus(const char**, int, long long&) override { return {}; }
  int queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION, long long&) override { return {}; }
  int setLocalUserAttributes(const RtmAttribute*, int, long long&) override { return {}; }
  int addOrUpdateLocalUserAttributes(const RtmAttribute*, int, long long&) override { return {}; }
  int deleteLocalUserAttributesByKeys(const char**, int, long long&) override { return {}; }
  int clearLocalUserAttributes(long long&) override { return {}; }
  int getUserAttributes(const char*, long long&) override { return {}; }
  int getUserAttributesByKeys(const char*, const char**, int, long long&) override { return {}; }
  int setChannelAttributes(const char*, const IRtmChannelAttribute**, int, const ChannelAttributeOptions&, long long&) override { return {}; }
  int addOrUpdateChannelAttributes(const char*, const IRtmChannelAttribute**, int, const ChannelAttributeOptions&, long long&) override { return {}; }
  int deleteChannelAttributesByKeys(const char*, const char**, int, const ChannelAttributeOptions&, long long&) override { return {}; }
  int clearChannelAttributes(const char*, const ChannelAttributeOptions&, long long&) override { return {}; }
  int getChannelAttributes(const char*, long long&) override { return {}; }
  int getChannelAttributesByKeys(const char*, const char**, int, long long&) override { return {}; }
  int getChannelMemberCount(const char**, int, long long&) override { return {}; }
  int setLogFile(const char*) override { return {}; }
  int setLogFilter(LOG_FILTER_TYPE) override { return {}; }
  int setLogFileSize(int) override { return {}; }
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IRtmServiceEventHandler) == 8 && std::is_polymorphic_v<IRtmServiceEventHandler>, "IRtmServiceEventHandler: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IRtmServiceEventHandler>, "IRtmServiceEventHandler: virtual destructor");
static_assert(std::is_destructible_v<IRtmServiceEventHandler>, "IRtmServiceEventHandler: public destructor");
class FullIRtmServiceEventHandler final : public IRtmServiceEventHandler {
 public:
  void onLoginSuccess() override {}
  void onLoginFailure(LOGIN_ERR_CODE) override {}
  void onRenewTokenResult(const char*, RENEW_TOKEN_ERR_CODE) override {}
  void onTokenExpired() override {}
  void onLogout(LOGOUT_ERR_CODE) override {}
  void onConnectionStateChanged(CONNECTION_STATE, CONNECTION_CHANGE_REASON) override {}
  void onSendMessageResult(long long, PEER_MESSAGE_ERR_CODE) override {}
  void onMessageReceivedFromPeer(const char*, const IMessage*) override {}
  void onQueryPeersOnlineStatusResult(long long, const PeerOnlineStatus*, int, QUERY_PEERS_ONLINE_STATUS_ERR) override {}
  void onSubscriptionRequestResult(long long, PEER_SUBSCRIPTION_STATUS_ERR) override {}
  void onQueryPeersBySubscriptionOptionResult(long long, const char**, int, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR) override {}
  void onPeersOnlineStatusChanged(const PeerOnlineStatus*, int) override {}
  void onSetLocalUserAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onAddOrUpdateLocalUserAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onDeleteLocalUserAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onClearLocalUserAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onGetUserAttributesResult(long long, const char*, const RtmAttribute*, int, ATTRIBUTE_OPERATION_ERR) override {}
  void onSetChannelAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onAddOrUpdateChannelAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onDeleteChannelAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onClearChannelAttributesResult(long long, ATTRIBUTE_OPERATION_ERR) override {}
  void onGetChannelAttributesResult(long long, const IRtmChannelAttribute**, int, ATTRIBUTE_OPERATION_ERR) override {}
  void onGetChannelMemberCountResult(long long, const ChannelMemberCount*, int, GET_CHANNEL_MEMBER_COUNT_ERR_CODE) override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
[[maybe_unused]] static FullIRtmServiceEventHandler g_instanceIRtmServiceEventHandler;
static_assert(sizeof(IChannel) == 8 && std::is_polymorphic_v<IChannel>, "IChannel: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IChannel>, "IChannel: virtual destructor");
static_assert(!std::is_destructible_v<IChannel>, "IChannel: protected destructor (release() frees it)");
class FullIChannel final : public IChannel {
 public:
  int join() override { return {}; }
  int leave() override { return {}; }
  int sendMessage(const IMessage*) override { return {}; }
  int sendMessage(const IMessage*, const SendMessageOptions&) override { return {}; }
  const char* getId() const override { return {}; }
  int getMembers() override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IChannelEventHandler) == 8 && std::is_polymorphic_v<IChannelEventHandler>, "IChannelEventHandler: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IChannelEventHandler>, "IChannelEventHandler: virtual destructor");
static_assert(std::is_destructible_v<IChannelEventHandler>, "IChannelEventHandler: public destructor");
class FullIChannelEventHandler final : public IChannelEventHandler {
 public:
  void onJoinSuccess() override {}
  void onJoinFailure(JOIN_CHANNEL_ERR) override {}
  void onLeave(LEAVE_CHANNEL_ERR) override {}
  void onMessageReceived(const char*, const IMessage*) override {}
  void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE) override {}
  void onMemberJoined(IChannelMember*) override {}
  void onMemberLeft(IChannelMember*) override {}
  void onGetMembers(IChannelMember**, int, GET_MEMBERS_ERR) override {}
  void onAttributesUpdated(const IRtmChannelAttribute**, int) override {}
  void onMemberCountUpdated(int) override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
[[maybe_unused]] static FullIChannelEventHandler g_instanceIChannelEventHandler;
static_assert(sizeof(IChannelMember) == 8 && std::is_polymorphic_v<IChannelMember>, "IChannelMember: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IChannelMember>, "IChannelMember: virtual destructor");
static_assert(!std::is_destructible_v<IChannelMember>, "IChannelMember: protected destructor (release() frees it)");
class FullIChannelMember final : public IChannelMember {
 public:
  const char* getUserId() const override { return {}; }
  const char* getChannelId() const override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IMessage) == 8 && std::is_polymorphic_v<IMessage>, "IMessage: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IMessage>, "IMessage: virtual destructor");
static_assert(!std::is_destructible_v<IMessage>, "IMessage: protected destructor (release() frees it)");
class FullIMessage final : public IMessage {
 public:
  long long getMessageId() const override { return {}; }
  MESSAGE_TYPE getMessageType() const override { return {}; }
  void setText(const char*) override {}
  const char* getText() const override { return {}; }
  const char* getRawMessageData() const override { return {}; }
  int getRawMessageLength() const override { return {}; }
  long long getServerReceivedTs() const override { return {}; }
  bool isOfflineMessage() const override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IRtmChannelAttribute) == 8 && std::is_polymorphic_v<IRtmChannelAttribute>, "IRtmChannelAttribute: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IRtmChannelAttribute>, "IRtmChannelAttribute: virtual destructor");
static_assert(!std::is_destructible_v<IRtmChannelAttribute>, "IRtmChannelAttribute: protected destructor (release() frees it)");
class FullIRtmChannelAttribute final : public IRtmChannelAttribute {
 public:
  void setKey(const char*) override {}
  const char* getKey() const override { return {}; }
  void setValue(const char*) override {}
  const char* getValue() const override { return {}; }
  const char* getLastUpdateUserId() const override { return {}; }
  long long getLastUpdateTs() const override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IRtmCallManager) == 8 && std::is_polymorphic_v<IRtmCallManager>, "IRtmCallManager: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IRtmCallManager>, "IRtmCallManager: virtual destructor");
static_assert(!std::is_destructible_v<IRtmCallManager>, "IRtmCallManager: protected destructor (release() frees it)");
class FullIRtmCallManager final : public IRtmCallManager {
 public:
  int sendLocalInvitation(ILocalCallInvitation*) override { return {}; }
  int acceptRemoteInvitation(IRemoteCallInvitation*) override { return {}; }
  int refuseRemoteInvitation(IRemoteCallInvitation*) override { return {}; }
  int cancelLocalInvitation(ILocalCallInvitation*) override { return {}; }
  ILocalCallInvitation* createLocalCallInvitation(const char*) override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IRtmCallEventHandler) == 8 && std::is_polymorphic_v<IRtmCallEventHandler>, "IRtmCallEventHandler: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IRtmCallEventHandler>, "IRtmCallEventHandler: virtual destructor");
static_assert(std::is_destructible_v<IRtmCallEventHandler>, "IRtmCallEventHandler: public destructor");
class FullIRtmCallEventHandler final : public IRtmCallEventHandler {
 public:
  void onLocalInvitationReceivedByPeer(ILocalCallInvitation*) override {}
  void onLocalInvitationCanceled(ILocalCallInvitation*) override {}
  void onLocalInvitationFailure(ILocalCallInvitation*, LOCAL_INVITATION_ERR_CODE) override {}
  void onLocalInvitationAccepted(ILocalCallInvitation*, const char*) override {}
  void onLocalInvitationRefused(ILocalCallInvitation*, const char*) override {}
  void onRemoteInvitationRefused(IRemoteCallInvitation*) override {}
  void onRemoteInvitationAccepted(IRemoteCallInvitation*) override {}
  void onRemoteInvitationReceived(IRemoteCallInvitation*) override {}
  void onRemoteInvitationFailure(IRemoteCallInvitation*, REMOTE_INVITATION_ERR_CODE) override {}
  void onRemoteInvitationCanceled(IRemoteCallInvitation*) override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
[[maybe_unused]] static FullIRtmCallEventHandler g_instanceIRtmCallEventHandler;
static_assert(sizeof(ILocalCallInvitation) == 8 && std::is_polymorphic_v<ILocalCallInvitation>, "ILocalCallInvitation: one vptr, no data");
static_assert(std::has_virtual_destructor_v<ILocalCallInvitation>, "ILocalCallInvitation: virtual destructor");
static_assert(!std::is_destructible_v<ILocalCallInvitation>, "ILocalCallInvitation: protected destructor (release() frees it)");
class FullILocalCallInvitation final : public ILocalCallInvitation {
 public:
  const char* getCalleeId() const override { return {}; }
  void setContent(const char*) override {}
  const char* getContent() const override { return {}; }
  void setChannelId(const char*) override {}
  const char* getChannelId() const override { return {}; }
  const char* getResponse() const override { return {}; }
  LOCAL_INVITATION_STATE getState() const override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};
static_assert(sizeof(IRemoteCallInvitation) == 8 && std::is_polymorphic_v<IRemoteCallInvitation>, "IRemoteCallInvitation: one vptr, no data");
static_assert(std::has_virtual_destructor_v<IRemoteCallInvitation>, "IRemoteCallInvitation: virtual destructor");
static_assert(!std::is_destructible_v<IRemoteCallInvitation>, "IRemoteCallInvitation: protected destructor (release() frees it)");
class FullIRemoteCallInvitation final : public IRemoteCallInvitation {
 public:
  const char* getCallerId() const override { return {}; }
  const char* getContent() const override { return {}; }
  void setResponse(const char*) override {}
  const char* getResponse() const override { return {}; }
  const char* getChannelId() const override { return {}; }
  REMOTE_INVITATION_STATE getState() const override { return {}; }
  void release() override {}
  virtual void sentinel() {}  // first slot after the base vtable
};

int main() {
  SLOT(IRtmService, initialize, int (IRtmService::*)(const char*, IRtmServiceEventHandler*), 0x10);
  SLOT(IRtmService, addEventHandler, void (IRtmService::*)(IRtmServiceEventHandler*), 0x18);
  SLOT(IRtmService, removeEventHandler, void (IRtmService::*)(IRtmServiceEventHandler*), 0x20);
  SLOT(IRtmService, release, void (IRtmService::*)(bool), 0x28);
  SLOT(IRtmService, login, int (IRtmService::*)(const char*, const char*), 0x30);
  SLOT(IRtmService, logout, int (IRtmService::*)(), 0x38);
  SLOT(IRtmService, renewToken, int (IRtmService::*)(const char*), 0x40);
  SLOT(IRtmService, sendMessageToPeer, int (IRtmService::*)(const char*, const IMessage*), 0x48);
  SLOT(IRtmService, sendMessageToPeer, int (IRtmService::*)(const char*, const IMessage*, const SendMessageOptions&), 0x50);
  SLOT(IRtmService, createChannel, IChannel* (IRtmService::*)(const char*, IChannelEventHandler*), 0x58);
  SLOT(IRtmService, getRtmCallManager, IRtmCallManager* (IRtmService::*)(IRtmCallEventHandler*), 0x60);
  SLOT(IRtmService, createMessage, IMessage* (IRtmService::*)(), 0x68);
  SLOT(IRtmService, createMessage, IMessage* (IRtmService::*)(const char*), 0x70);
  SLOT(IRtmService, createMessage, IMessage* (IRtmService::*)(const uint8_t*, int), 0x78);
  SLOT(IRtmService, createMessage, IMessage* (IRtmService::*)(const uint8_t*, int, const char*), 0x80);
  SLOT(IRtmService, createChannelAttribute, IRtmChannelAttribute* (IRtmService::*)(), 0x88);
  SLOT(IRtmService, setParameters, int (IRtmService::*)(const char*), 0x90);
  SLOT(IRtmService, queryPeersOnlineStatus, int (IRtmService::*)(const char**, int, long long&), 0x98);
  SLOT(IRtmService, subscribePeersOnlineStatus, int (IRtmService::*)(const char**, int, long long&), 0xa0);
  SLOT(IRtmService, unsubscribePeersOnlineStatus, int (IRtmService::*)(const char**, int, long long&), 0xa8);
  SLOT(IRtmService, queryPeersBySubscriptionOption, int (IRtmService::*)(PEER_SUBSCRIPTION_OPTION, long long&), 0xb0);
  SLOT(IRtmService, setLocalUserAttributes, int (IRtmService::*)(const RtmAttribute*, int, long long&), 0xb8);
  SLOT(IRtmService, addOrUpdateLocalUserAttributes, int (IRtmService::*)(const RtmAttribute*, int, long long&), 0xc0);
  SLOT(IRtmService, deleteLocalUserAttributesByKeys, int (IRtmService::*)(const char**, int, long long&), 0xc8);
  SLOT(IRtmService, clearLocalUserAttributes, int (IRtmService::*)(long long&), 0xd0);
  SLOT(IRtmService, getUserAttributes, int (IRtmService::*)(const char*, long long&), 0xd8);
  SLOT(IRtmService, getUserAttributesByKeys, int (IRtmService::*)(const char*, const char**, int, long long&), 0xe0);
  SLOT(IRtmService, setChannelAttributes, int (IRtmService::*)(const char*, const IRtmChannelAttribute**, int, const ChannelAttributeOptions&, long long&), 0xe8);
  SLOT(IRtmService, addOrUpdateChannelAttributes, int (IRtmService::*)(const char*, const IRtmChannelAttribute**, int, const ChannelAttributeOptions&, long long&), 0xf0);
  SLOT(IRtmService, deleteChannelAttributesByKeys, int (IRtmService::*)(const char*, const char**, int, const ChannelAttributeOptions&, long long&), 0xf8);
  SLOT(IRtmService, clearChannelAttributes, int (IRtmService::*)(const char*, const ChannelAttributeOptions&, long long&), 0x100);
  SLOT(IRtmService, getChannelAttributes, int (IRtmService::*)(const char*, long long&), 0x108);
  SLOT(IRtmService, getChannelAttributesByKeys, int (IRtmService::*)(const char*, const char**, int, long long&), 0x110);
  SLOT(IRtmService, getChannelMemberCount, int (IRtmService::*)(const char**, int, long long&), 0x118);
  SLOT(IRtmService, setLogFile, int (IRtmService::*)(const char*), 0x120);
  SLOT(IRtmService, setLogFilter, int (IRtmService::*)(LOG_FILTER_TYPE), 0x128);
  SLOT(IRtmService, setLogFileSize, int (IRtmService::*)(int), 0x130);
  expectOffset("IRtmService vtable length (39 slots)", vtableOffset(&FullIRtmService::sentinel), 312);
  SLOT(IRtmServiceEventHandler, onLoginSuccess, void (IRtmServiceEventHandler::*)(), 0x10);
  SLOT(IRtmServiceEventHandler, onLoginFailure, void (IRtmServiceEventHandler::*)(LOGIN_ERR_CODE), 0x18);
  SLOT(IRtmServiceEventHandler, onRenewTokenResult, void (IRtmServiceEventHandler::*)(const char*, RENEW_TOKEN_ERR_CODE), 0x20);
  SLOT(IRtmServiceEventHandler, onTokenExpired, void (IRtmServiceEventHandler::*)(), 0x28);
  SLOT(IRtmServiceEventHandler, onLogout, void (IRtmServiceEventHandler::*)(LOGOUT_ERR_CODE), 0x30);
  SLOT(IRtmServiceEventHandler, onConnectionStateChanged, void (IRtmServiceEventHandler::*)(CONNECTION_STATE, CONNECTION_CHANGE_REASON), 0x38);
  SLOT(IRtmServiceEventHandler, onSendMessageResult, void (IRtmServiceEventHandler::*)(long long, PEER_MESSAGE_ERR_CODE), 0x40);
  SLOT(IRtmServiceEventHandler, onMessageReceivedFromPeer, void (IRtmServiceEventHandler::*)(const char*, const IMessage*), 0x48);
  SLOT(IRtmServiceEventHandler, onQueryPeersOnlineStatusResult, void (IRtmServiceEventHandler::*)(long long, const PeerOnlineStatus*, int, QUERY_PEERS_ONLINE_STATUS_ERR), 0x50);
  SLOT(IRtmServiceEventHandler, onSubscriptionRequestResult, void (IRtmServiceEventHandler::*)(long long, PEER_SUBSCRIPTION_STATUS_ERR), 0x58);
  SLOT(IRtmServiceEventHandler, onQueryPeersBySubscriptionOptionResult, void (IRtmServiceEventHandler::*)(long long, const char**, int, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR), 0x60);
  SLOT(IRtmServiceEventHandler, onPeersOnlineStatusChanged, void (IRtmServiceEventHandler::*)(const PeerOnlineStatus*, int), 0x68);
  SLOT(IRtmServiceEventHandler, onSetLocalUserAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0x70);
  SLOT(IRtmServiceEventHandler, onAddOrUpdateLocalUserAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0x78);
  SLOT(IRtmServiceEventHandler, onDeleteLocalUserAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0x80);
  SLOT(IRtmServiceEventHandler, onClearLocalUserAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0x88);
  SLOT(IRtmServiceEventHandler, onGetUserAttributesResult, void (IRtmServiceEventHandler::*)(long long, const char*, const RtmAttribute*, int, ATTRIBUTE_OPERATION_ERR), 0x90);
  SLOT(IRtmServiceEventHandler, onSetChannelAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0x98);
  SLOT(IRtmServiceEventHandler, onAddOrUpdateChannelAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0xa0);
  SLOT(IRtmServiceEventHandler, onDeleteChannelAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0xa8);
  SLOT(IRtmServiceEventHandler, onClearChannelAttributesResult, void (IRtmServiceEventHandler::*)(long long, ATTRIBUTE_OPERATION_ERR), 0xb0);
  SLOT(IRtmServiceEventHandler, onGetChannelAttributesResult, void (IRtmServiceEventHandler::*)(long long, const IRtmChannelAttribute**, int, ATTRIBUTE_OPERATION_ERR), 0xb8);
  SLOT(IRtmServiceEventHandler, onGetChannelMemberCountResult, void (IRtmServiceEventHandler::*)(long long, const ChannelMemberCount*, int, GET_CHANNEL_MEMBER_COUNT_ERR_CODE), 0xc0);
  expectOffset("IRtmServiceEventHandler vtable length (25 slots)", vtableOffset(&FullIRtmServiceEventHandler::sentinel), 200);
  SLOT(IChannel, join, int (IChannel::*)(), 0x10);
  SLOT(IChannel, leave, int (IChannel::*)(), 0x18);
  SLOT(IChannel, sendMessage, int (IChannel::*)(const IMessage*), 0x20);
  SLOT(IChannel, sendMessage, int (IChannel::*)(const IMessage*, const SendMessageOptions&), 0x28);
  SLOT(IChannel, getId, const char* (IChannel::*)() const, 0x30);
  SLOT(IChannel, getMembers, int (IChannel::*)(), 0x38);
  SLOT(IChannel, release, void (IChannel::*)(), 0x40);
  expectOffset("IChannel vtable length (9 slots)", vtableOffset(&FullIChannel::sentinel), 72);
  SLOT(IChannelEventHandler, onJoinSuccess, void (IChannelEventHandler::*)(), 0x10);
  SLOT(IChannelEventHandler, onJoinFailure, void (IChannelEventHandler::*)(JOIN_CHANNEL_ERR), 0x18);
  SLOT(IChannelEventHandler, onLeave, void (IChannelEventHandler::*)(LEAVE_CHANNEL_ERR), 0x20);
  SLOT(IChannelEventHandler, onMessageReceived, void (IChannelEventHandler::*)(const char*, const IMessage*), 0x28);
  SLOT(IChannelEventHandler, onSendMessageResult, void (IChannelEventHandler::*)(long long, CHANNEL_MESSAGE_ERR_CODE), 0x30);
  SLOT(IChannelEventHandler, onMemberJoined, void (IChannelEventHandler::*)(IChannelMember*), 0x38);
  SLOT(IChannelEventHandler, onMemberLeft, void (IChannelEventHandler::*)(IChannelMember*), 0x40);
  SLOT(IChannelEventHandler, onGetMembers, void (IChannelEventHandler::*)(IChannelMember**, int, GET_MEMBERS_ERR), 0x48);
  SLOT(IChannelEventHandler, onAttributesUpdated, void (IChannelEventHandler::*)(const IRtmChannelAttribute**, int), 0x50);
  SLOT(IChannelEventHandler, onMemberCountUpdated, void (IChannelEventHandler::*)(int), 0x58);
  expectOffset("IChannelEventHandler vtable length (12 slots)", vtableOffset(&FullIChannelEventHandler::sentinel), 96);
  SLOT(IChannelMember, getUserId, const char* (IChannelMember::*)() const, 0x10);
  SLOT(IChannelMember, getChannelId, const char* (IChannelMember::*)() const, 0x18);
  SLOT(IChannelMember, release, void (IChannelMember::*)(), 0x20);
  expectOffset("IChannelMember vtable length (5 slots)", vtableOffset(&FullIChannelMember::sentinel), 40);
  SLOT(IMessage, getMessageId, long long (IMessage::*)() const, 0x10);
  SLOT(IMessage, getMessageType, MESSAGE_TYPE (IMessage::*)() const, 0x18);
  SLOT(IMessage, setText, void (IMessage::*)(const char*), 0x20);
  SLOT(IMessage, getText, const char* (IMessage::*)() const, 0x28);
  SLOT(IMessage, getRawMessageData, const char* (IMessage::*)() const, 0x30);
  SLOT(IMessage, getRawMessageLength, int (IMessage::*)() const, 0x38);
  SLOT(IMessage, getServerReceivedTs, long long (IMessage::*)() const, 0x40);
  SLOT(IMessage, isOfflineMessage, bool (IMessage::*)() const, 0x48);
  SLOT(IMessage, release, void (IMessage::*)(), 0x50);
  expectOffset("IMessage vtable length (11 slots)", vtableOffset(&FullIMessage::sentinel), 88);
  SLOT(IRtmChannelAttribute, setKey, void (IRtmChannelAttribute::*)(const char*), 0x10);
  SLOT(IRtmChannelAttribute, getKey, const char* (IRtmChannelAttribute::*)() const, 0x18);
  SLOT(IRtmChannelAttribute, setValue, void (IRtmChannelAttribute::*)(const char*), 0x20);
  SLOT(IRtmChannelAttribute, getValue, const char* (IRtmChannelAttribute::*)() const, 0x28);
  SLOT(IRtmChannelAttribute, getLastUpdateUserId, const char* (IRtmChannelAttribute::*)() const, 0x30);
  SLOT(IRtmChannelAttribute, getLastUpdateTs, long long (IRtmChannelAttribute::*)() const, 0x38);
  SLOT(IRtmChannelAttribute, release, void (IRtmChannelAttribute::*)(), 0x40);
  expectOffset("IRtmChannelAttribute vtable length (9 slots)", vtableOffset(&FullIRtmChannelAttribute::sentinel), 72);
  SLOT(IRtmCallManager, sendLocalInvitation, int (IRtmCallManager::*)(ILocalCallInvitation*), 0x10);
  SLOT(IRtmCallManager, acceptRemoteInvitation, int (IRtmCallManager::*)(IRemoteCallInvitation*), 0x18);
  SLOT(IRtmCallManager, refuseRemoteInvitation, int (IRtmCallManager::*)(IRemoteCallInvitation*), 0x20);
  SLOT(IRtmCallManager, cancelLocalInvitation, int (IRtmCallManager::*)(ILocalCallInvitation*), 0x28);
  SLOT(IRtmCallManager, createLocalCallInvitation, ILocalCallInvitation* (IRtmCallManager::*)(const char*), 0x30);
  SLOT(IRtmCallManager, release, void (IRtmCallManager::*)(), 0x38);
  expectOffset("IRtmCallManager vtable length (8 slots)", vtableOffset(&FullIRtmCallManager::sentinel), 64);
  SLOT(IRtmCallEventHandler, onLocalInvitationReceivedByPeer, void (IRtmCallEventHandler::*)(ILocalCallInvitation*), 0x10);
  SLOT(IRtmCallEventHandler, onLocalInvitationCanceled, void (IRtmCallEventHandler::*)(ILocalCallInvitation*), 0x18);
  SLOT(IRtmCallEventHandler, onLocalInvitationFailure, void (IRtmCallEventHandler::*)(ILocalCallInvitation*, LOCAL_INVITATION_ERR_CODE), 0x20);
  SLOT(IRtmCallEventHandler, onLocalInvitationAccepted, void (IRtmCallEventHandler::*)(ILocalCallInvitation*, const char*), 0x28);
  SLOT(IRtmCallEventHandler, onLocalInvitationRefused, void (IRtmCallEventHandler::*)(ILocalCallInvitation*, const char*), 0x30);
  SLOT(IRtmCallEventHandler, onRemoteInvitationRefused, void (IRtmCallEventHandler::*)(IRemoteCallInvitation*), 0x38);
  SLOT(IRtmCallEventHandler, onRemoteInvitationAccepted, void (IRtmCallEventHandler::*)(IRemoteCallInvitation*), 0x40);
  SLOT(IRtmCallEventHandler, onRemoteInvitationReceived, void (IRtmCallEventHandler::*)(IRemoteCallInvitation*), 0x48);
  SLOT(IRtmCallEventHandler, onRemoteInvitationFailure, void (IRtmCallEventHandler::*)(IRemoteCallInvitation*, REMOTE_INVITATION_ERR_CODE), 0x50);
  SLOT(IRtmCallEventHandler, onRemoteInvitationCanceled, void (IRtmCallEventHandler::*)(IRemoteCallInvitation*), 0x58);
  expectOffset("IRtmCallEventHandler vtable length (12 slots)", vtableOffset(&FullIRtmCallEventHandler::sentinel), 96);
  SLOT(ILocalCallInvitation, getCalleeId, const char* (ILocalCallInvitation::*)() const, 0x10);
  SLOT(ILocalCallInvitation, setContent, void (ILocalCallInvitation::*)(const char*), 0x18);
  SLOT(ILocalCallInvitation, getContent, const char* (ILocalCallInvitation::*)() const, 0x20);
  SLOT(ILocalCallInvitation, setChannelId, void (ILocalCallInvitation::*)(const char*), 0x28);
  SLOT(ILocalCallInvitation, getChannelId, const char* (ILocalCallInvitation::*)() const, 0x30);
  SLOT(ILocalCallInvitation, getResponse, const char* (ILocalCallInvitation::*)() const, 0x38);
  SLOT(ILocalCallInvitation, getState, LOCAL_INVITATION_STATE (ILocalCallInvitation::*)() const, 0x40);
  SLOT(ILocalCallInvitation, release, void (ILocalCallInvitation::*)(), 0x48);
  expectOffset("ILocalCallInvitation vtable length (10 slots)", vtableOffset(&FullILocalCallInvitation::sentinel), 80);
  SLOT(IRemoteCallInvitation, getCallerId, const char* (IRemoteCallInvitation::*)() const, 0x10);
  SLOT(IRemoteCallInvitation, getContent, const char* (IRemoteCallInvitation::*)() const, 0x18);
  SLOT(IRemoteCallInvitation, setResponse, void (IRemoteCallInvitation::*)(const char*), 0x20);
  SLOT(IRemoteCallInvitation, getResponse, const char* (IRemoteCallInvitation::*)() const, 0x28);
  SLOT(IRemoteCallInvitation, getChannelId, const char* (IRemoteCallInvitation::*)() const, 0x30);
  SLOT(IRemoteCallInvitation, getState, REMOTE_INVITATION_STATE (IRemoteCallInvitation::*)() const, 0x38);
  SLOT(IRemoteCallInvitation, release, void (IRemoteCallInvitation::*)(), 0x40);
  expectOffset("IRemoteCallInvitation vtable length (9 slots)", vtableOffset(&FullIRemoteCallInvitation::sentinel), 72);
  std::printf("abi_check: %d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
