// The RTM 1.x service interface (Linux x86-64 ABI of SDK v1.2.2), declared from the facts in
// shared/rtm-abi.md. Declaration order IS the ABI: every virtual's position fixes its vtable slot,
// so never reorder, insert or remove a virtual here. test/native/abi_check.cpp pins the layout.
#pragma once

#include <cstddef>
#include <cstdint>

#define AGORA_RTM_ENDCALL_PREFIX "AgoraRTMLegacyEndcallCompatibleMessagePrefix"

namespace agora {
namespace rtm {

enum INIT_ERR_CODE {
  INIT_ERR_OK = 0,
  INIT_ERR_FAILURE = 1,
  INIT_ERR_ALREADY_INITIALIZED = 2,
  INIT_ERR_INVALID_APP_ID = 3,
  INIT_ERR_INVALID_ARGUMENT = 4,
};

enum LOGIN_ERR_CODE {
  LOGIN_ERR_OK = 0,
  LOGIN_ERR_UNKNOWN = 1,
  LOGIN_ERR_REJECTED = 2,
  LOGIN_ERR_INVALID_ARGUMENT = 3,
  LOGIN_ERR_INVALID_APP_ID = 4,
  LOGIN_ERR_INVALID_TOKEN = 5,
  LOGIN_ERR_TOKEN_EXPIRED = 6,
  LOGIN_ERR_NOT_AUTHORIZED = 7,
  LOGIN_ERR_ALREADY_LOGGED_IN = 8,
  LOGIN_ERR_TIMEOUT = 9,
  LOGIN_ERR_TOO_OFTEN = 10,
  LOGIN_ERR_NOT_INITIALIZED = 101,
};

enum LOGOUT_ERR_CODE {
  LOGOUT_ERR_OK = 0,
  LOGOUT_ERR_REJECTED = 1,
  LOGOUT_ERR_NOT_INITIALIZED = 101,
  LOGOUT_ERR_USER_NOT_LOGGED_IN = 102,
};

enum RENEW_TOKEN_ERR_CODE {
  RENEW_TOKEN_ERR_OK = 0,
  RENEW_TOKEN_ERR_FAILURE = 1,
  RENEW_TOKEN_ERR_INVALID_ARGUMENT = 2,
  RENEW_TOKEN_ERR_REJECTED = 3,
  RENEW_TOKEN_ERR_TOO_OFTEN = 4,
  RENEW_TOKEN_ERR_TOKEN_EXPIRED = 5,
  RENEW_TOKEN_ERR_INVALID_TOKEN = 6,
  RENEW_TOKEN_ERR_NOT_INITIALIZED = 101,
  RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN = 102,
};

enum CONNECTION_STATE {
  CONNECTION_STATE_DISCONNECTED = 1,
  CONNECTION_STATE_CONNECTING = 2,
  CONNECTION_STATE_CONNECTED = 3,
  CONNECTION_STATE_RECONNECTING = 4,
  CONNECTION_STATE_ABORTED = 5,
};

enum CONNECTION_CHANGE_REASON {
  CONNECTION_CHANGE_REASON_LOGIN = 1,
  CONNECTION_CHANGE_REASON_LOGIN_SUCCESS = 2,
  CONNECTION_CHANGE_REASON_LOGIN_FAILURE = 3,
  CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT = 4,
  CONNECTION_CHANGE_REASON_INTERRUPTED = 5,
  CONNECTION_CHANGE_REASON_LOGOUT = 6,
  CONNECTION_CHANGE_REASON_BANNED_BY_SERVER = 7,
  CONNECTION_CHANGE_REASON_REMOTE_LOGIN = 8,
};

enum PEER_MESSAGE_ERR_CODE {
  PEER_MESSAGE_ERR_OK = 0,
  PEER_MESSAGE_ERR_FAILURE = 1,
  PEER_MESSAGE_ERR_SENT_TIMEOUT = 2,
  PEER_MESSAGE_ERR_PEER_UNREACHABLE = 3,
  PEER_MESSAGE_ERR_CACHED_BY_SERVER = 4,
  PEER_MESSAGE_ERR_TOO_OFTEN = 5,
  PEER_MESSAGE_ERR_INVALID_USERID = 6,
  PEER_MESSAGE_ERR_INVALID_MESSAGE = 7,
  PEER_MESSAGE_ERR_NOT_INITIALIZED = 101,
  PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN = 102,
};

enum JOIN_CHANNEL_ERR {
  JOIN_CHANNEL_ERR_OK = 0,
  JOIN_CHANNEL_ERR_FAILURE = 1,
  JOIN_CHANNEL_ERR_REJECTED = 2,
  JOIN_CHANNEL_ERR_INVALID_ARGUMENT = 3,
  JOIN_CHANNEL_TIMEOUT = 4,  // the SDK spells this one without _ERR_
  JOIN_CHANNEL_ERR_EXCEED_LIMIT = 5,
  JOIN_CHANNEL_ERR_ALREADY_JOINED = 6,
  JOIN_CHANNEL_ERR_TOO_OFTEN = 7,
  JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN = 8,
  JOIN_CHANNEL_ERR_NOT_INITIALIZED = 101,
  JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN = 102,
};

enum LEAVE_CHANNEL_ERR {
  LEAVE_CHANNEL_ERR_OK = 0,
  LEAVE_CHANNEL_ERR_FAILURE = 1,
  LEAVE_CHANNEL_ERR_REJECTED = 2,
  LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL = 3,
  LEAVE_CHANNEL_ERR_NOT_INITIALIZED = 101,
  LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN = 102,
};

enum LEAVE_CHANNEL_REASON {
  LEAVE_CHANNEL_REASON_QUIT = 1,
  LEAVE_CHANNEL_REASON_KICKED = 2,
};

enum CHANNEL_MESSAGE_ERR_CODE {
  CHANNEL_MESSAGE_ERR_OK = 0,
  CHANNEL_MESSAGE_ERR_FAILURE = 1,
  CHANNEL_MESSAGE_ERR_SENT_TIMEOUT = 2,
  CHANNEL_MESSAGE_ERR_TOO_OFTEN = 3,
  CHANNEL_MESSAGE_ERR_INVALID_MESSAGE = 4,
  CHANNEL_MESSAGE_ERR_NOT_INITIALIZED = 101,
  CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN = 102,
};

enum GET_MEMBERS_ERR {
  GET_MEMBERS_ERR_OK = 0,
  GET_MEMBERS_ERR_FAILURE = 1,
  GET_MEMBERS_ERR_REJECTED = 2,
  GET_MEMBERS_ERR_TIMEOUT = 3,
  GET_MEMBERS_ERR_TOO_OFTEN = 4,
  GET_MEMBERS_ERR_NOT_IN_CHANNEL = 5,
  GET_MEMBERS_ERR_NOT_INITIALIZED = 101,
  GET_MEMBERS_ERR_USER_NOT_LOGGED_IN = 102,
};

enum QUERY_PEERS_ONLINE_STATUS_ERR {
  QUERY_PEERS_ONLINE_STATUS_ERR_OK = 0,
  QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE = 1,
  QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT = 2,
  QUERY_PEERS_ONLINE_STATUS_ERR_REJECTED = 3,
  QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT = 4,
  QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN = 5,
  QUERY_PEERS_ONLINE_STATUS_ERR_NOT_INITIALIZED = 101,
  QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN = 102,
};

enum PEER_ONLINE_STATE {
  PEER_ONLINE_STATE_ONLINE = 0,
  PEER_ONLINE_STATE_UNREACHABLE = 1,
  PEER_ONLINE_STATE_OFFLINE = 2,
};

// `: int` (the same size and calling convention as the plain enum): callers pass any int through
// this parameter, as the C ABI carries it, and the library answers for unknown values; without a
// fixed type, such a value would be undefined behaviour in C++ (found by UBSan under libFuzzer).
enum PEER_SUBSCRIPTION_OPTION : int {
  PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS = 0,
};

enum PEER_SUBSCRIPTION_STATUS_ERR {
  PEER_SUBSCRIPTION_STATUS_ERR_OK = 0,
  PEER_SUBSCRIPTION_STATUS_ERR_FAILURE = 1,
  PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT = 2,
  PEER_SUBSCRIPTION_STATUS_ERR_REJECTED = 3,
  PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT = 4,
  PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN = 5,
  PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW = 6,
  PEER_SUBSCRIPTION_STATUS_ERR_NOT_INITIALIZED = 101,
  PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN = 102,
};

enum QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR {
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK = 0,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE = 1,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT = 2,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN = 3,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_NOT_INITIALIZED = 101,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN = 102,
};

enum ATTRIBUTE_OPERATION_ERR {
  ATTRIBUTE_OPERATION_ERR_OK = 0,
  ATTRIBUTE_OPERATION_ERR_NOT_READY = 1,
  ATTRIBUTE_OPERATION_ERR_FAILURE = 2,
  ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT = 3,
  ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW = 4,
  ATTRIBUTE_OPERATION_ERR_TOO_OFTEN = 5,
  ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND = 6,
  ATTRIBUTE_OPERATION_ERR_TIMEOUT = 7,
  ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED = 101,
  ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN = 102,
};

enum GET_CHANNEL_MEMBER_COUNT_ERR_CODE {
  GET_CHANNEL_MEMBER_COUNT_ERR_OK = 0,
  GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE = 1,
  GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT = 2,
  GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN = 3,
  GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT = 4,
  GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT = 5,
  GET_CHANNEL_MEMBER_COUNT_ERR_NOT_INITIALIZED = 101,
  GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN = 102,
};

enum MESSAGE_TYPE {
  MESSAGE_TYPE_UNDEFINED = 0,
  MESSAGE_TYPE_TEXT = 1,
  MESSAGE_TYPE_RAW = 2,
};

// Bit masks, not an ordered sequence. `: int` for the reason given at PEER_SUBSCRIPTION_OPTION.
enum LOG_FILTER_TYPE : int {
  LOG_FILTER_OFF = 0,
  LOG_FILTER_INFO = 0x000f,
  LOG_FILTER_WARN = 0x000e,
  LOG_FILTER_ERROR = 0x000c,
  LOG_FILTER_CRITICAL = 0x0008,
  LOG_FILTER_MASK = 0x080f,
};

// Not aggregates: the SDK gives both option structs a constructor that clears every flag.
struct SendMessageOptions {
  bool enableOfflineMessaging;
  bool enableHistoricalMessaging;  // exists in the ABI; no documented effect
  SendMessageOptions() : enableOfflineMessaging(false), enableHistoricalMessaging(false) {}
};

struct RtmAttribute {
  const char* key;
  const char* value;
};

struct ChannelAttributeOptions {
  bool enableNotificationToChannelMembers;
  ChannelAttributeOptions() : enableNotificationToChannelMembers(false) {}
};

struct PeerOnlineStatus {
  const char* peerId;
  bool isOnline;  // deprecated mirror of onlineState == ONLINE
  PEER_ONLINE_STATE onlineState;
};

struct ChannelMemberCount {
  const char* channelId;
  int count;
};

// SDK-implemented objects have protected destructors: they are freed by release(), never delete.

class IMessage {
 protected:
  virtual ~IMessage() {}

 public:
  virtual long long getMessageId() const = 0;
  virtual MESSAGE_TYPE getMessageType() const = 0;
  virtual void setText(const char* str) = 0;
  virtual const char* getText() const = 0;
  virtual const char* getRawMessageData() const = 0;
  virtual int getRawMessageLength() const = 0;
  virtual long long getServerReceivedTs() const = 0;
  virtual bool isOfflineMessage() const = 0;
  virtual void release() = 0;
};

class IChannelMember {
 protected:
  virtual ~IChannelMember() {}

 public:
  virtual const char* getUserId() const = 0;
  virtual const char* getChannelId() const = 0;
  virtual void release() = 0;
};

class IRtmChannelAttribute {
 protected:
  virtual ~IRtmChannelAttribute() {}

 public:
  virtual void setKey(const char* key) = 0;
  virtual const char* getKey() const = 0;
  virtual void setValue(const char* value) = 0;
  virtual const char* getValue() const = 0;
  virtual const char* getLastUpdateUserId() const = 0;
  virtual long long getLastUpdateTs() const = 0;
  virtual void release() = 0;
};

// Handlers: every callback has an empty default so an implementation overrides only what it needs.
class IChannelEventHandler {
 public:
  virtual ~IChannelEventHandler() {}
  virtual void onJoinSuccess() {}
  virtual void onJoinFailure(JOIN_CHANNEL_ERR errorCode) { (void)errorCode; }
  virtual void onLeave(LEAVE_CHANNEL_ERR errorCode) { (void)errorCode; }
  virtual void onMessageReceived(const char* userId, const IMessage* message) {
    (void)userId; (void)message;
  }
  virtual void onSendMessageResult(long long messageId, CHANNEL_MESSAGE_ERR_CODE state) {
    (void)messageId; (void)state;
  }
  virtual void onMemberJoined(IChannelMember* member) { (void)member; }
  virtual void onMemberLeft(IChannelMember* member) { (void)member; }
  virtual void onGetMembers(IChannelMember** members, int userCount, GET_MEMBERS_ERR errorCode) {
    (void)members; (void)userCount; (void)errorCode;
  }
  virtual void onAttributesUpdated(const IRtmChannelAttribute* attributes[], int numberOfAttributes) {
    (void)attributes; (void)numberOfAttributes;
  }
  virtual void onMemberCountUpdated(int memberCount) { (void)memberCount; }
};

class IChannel {
 protected:
  virtual ~IChannel() {}

 public:
  virtual int join() = 0;
  virtual int leave() = 0;
  virtual int sendMessage(const IMessage* message) = 0;
  virtual int sendMessage(const IMessage* message, const SendMessageOptions& options) = 0;
  virtual const char* getId() const = 0;
  virtual int getMembers() = 0;
  virtual void release() = 0;
};

class IRtmServiceEventHandler {
 public:
  virtual ~IRtmServiceEventHandler() {}
  virtual void onLoginSuccess() {}
  virtual void onLoginFailure(LOGIN_ERR_CODE errorCode) { (void)errorCode; }
  virtual void onRenewTokenResult(const char* token, RENEW_TOKEN_ERR_CODE errorCode) {
    (void)token; (void)errorCode;
  }
  virtual void onTokenExpired() {}
  virtual void onLogout(LOGOUT_ERR_CODE errorCode) { (void)errorCode; }
  virtual void onConnectionStateChanged(CONNECTION_STATE state, CONNECTION_CHANGE_REASON reason) {
    (void)state; (void)reason;
  }
  virtual void onSendMessageResult(long long messageId, PEER_MESSAGE_ERR_CODE errorCode) {
    (void)messageId; (void)errorCode;
  }
  virtual void onMessageReceivedFromPeer(const char* peerId, const IMessage* message) {
    (void)peerId; (void)message;
  }
  virtual void onQueryPeersOnlineStatusResult(long long requestId, const PeerOnlineStatus* peersStatus,
                                              int peerCount, QUERY_PEERS_ONLINE_STATUS_ERR errorCode) {
    (void)requestId; (void)peersStatus; (void)peerCount; (void)errorCode;
  }
  virtual void onSubscriptionRequestResult(long long requestId, PEER_SUBSCRIPTION_STATUS_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onQueryPeersBySubscriptionOptionResult(long long requestId, const char* peerIds[], int peerCount,
                                                      QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR errorCode) {
    (void)requestId; (void)peerIds; (void)peerCount; (void)errorCode;
  }
  virtual void onPeersOnlineStatusChanged(const PeerOnlineStatus peersStatus[], int peerCount) {
    (void)peersStatus; (void)peerCount;
  }
  virtual void onSetLocalUserAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onAddOrUpdateLocalUserAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onDeleteLocalUserAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onClearLocalUserAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onGetUserAttributesResult(long long requestId, const char* userId, const RtmAttribute* attributes,
                                         int numberOfAttributes, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)userId; (void)attributes; (void)numberOfAttributes; (void)errorCode;
  }
  virtual void onSetChannelAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onAddOrUpdateChannelAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onDeleteChannelAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onClearChannelAttributesResult(long long requestId, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)errorCode;
  }
  virtual void onGetChannelAttributesResult(long long requestId, const IRtmChannelAttribute* attributes[],
                                            int numberOfAttributes, ATTRIBUTE_OPERATION_ERR errorCode) {
    (void)requestId; (void)attributes; (void)numberOfAttributes; (void)errorCode;
  }
  virtual void onGetChannelMemberCountResult(long long requestId, const ChannelMemberCount* channelMemberCounts,
                                             int channelCount, GET_CHANNEL_MEMBER_COUNT_ERR_CODE errorCode) {
    (void)requestId; (void)channelMemberCounts; (void)channelCount; (void)errorCode;
  }
};

class IRtmCallManager;
class IRtmCallEventHandler;

class IRtmService {
 protected:
  virtual ~IRtmService() {}

 public:
  virtual int initialize(const char* appId, IRtmServiceEventHandler* eventHandler) = 0;
  virtual void addEventHandler(IRtmServiceEventHandler* eventHandler) = 0;
  virtual void removeEventHandler(IRtmServiceEventHandler* eventHandler) = 0;
  virtual void release(bool sync = false) = 0;
  virtual int login(const char* token, const char* userId) = 0;
  virtual int logout() = 0;
  virtual int renewToken(const char* token) = 0;
  virtual int sendMessageToPeer(const char* peerId, const IMessage* message) = 0;
  virtual int sendMessageToPeer(const char* peerId, const IMessage* message, const SendMessageOptions& options) = 0;
  virtual IChannel* createChannel(const char* channelId, IChannelEventHandler* eventHandler) = 0;
  virtual IRtmCallManager* getRtmCallManager(IRtmCallEventHandler* eventHandler) = 0;
  virtual IMessage* createMessage() = 0;
  virtual IMessage* createMessage(const char* message) = 0;
  virtual IMessage* createMessage(const uint8_t* rawData, int length) = 0;
  virtual IMessage* createMessage(const uint8_t* rawData, int length, const char* description) = 0;
  virtual IRtmChannelAttribute* createChannelAttribute() = 0;
  virtual int setParameters(const char* parameters) = 0;
  virtual int queryPeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) = 0;
  virtual int subscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) = 0;
  virtual int unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) = 0;
  virtual int queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION option, long long& requestId) = 0;
  virtual int setLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                     long long& requestId) = 0;
  virtual int addOrUpdateLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                             long long& requestId) = 0;
  virtual int deleteLocalUserAttributesByKeys(const char* attributeKeys[], int numberOfKeys,
                                              long long& requestId) = 0;
  virtual int clearLocalUserAttributes(long long& requestId) = 0;
  virtual int getUserAttributes(const char* userId, long long& requestId) = 0;
  virtual int getUserAttributesByKeys(const char* userId, const char* attributeKeys[], int numberOfKeys,
                                      long long& requestId) = 0;
  virtual int setChannelAttributes(const char* channelId, const IRtmChannelAttribute* attributes[],
                                   int numberOfAttributes, const ChannelAttributeOptions& options,
                                   long long& requestId) = 0;
  virtual int addOrUpdateChannelAttributes(const char* channelId, const IRtmChannelAttribute* attributes[],
                                           int numberOfAttributes, const ChannelAttributeOptions& options,
                                           long long& requestId) = 0;
  virtual int deleteChannelAttributesByKeys(const char* channelId, const char* attributeKeys[], int numberOfKeys,
                                            const ChannelAttributeOptions& options, long long& requestId) = 0;
  virtual int clearChannelAttributes(const char* channelId, const ChannelAttributeOptions& options,
                                     long long& requestId) = 0;
  virtual int getChannelAttributes(const char* channelId, long long& requestId) = 0;
  virtual int getChannelAttributesByKeys(const char* channelId, const char* attributeKeys[], int numberOfKeys,
                                         long long& requestId) = 0;
  virtual int getChannelMemberCount(const char* channelIds[], int channelCount, long long& requestId) = 0;
  virtual int setLogFile(const char* logfile) = 0;
  virtual int setLogFilter(LOG_FILTER_TYPE filter) = 0;
  virtual int setLogFileSize(int fileSizeInKBytes) = 0;
};

}  // namespace rtm
}  // namespace agora

namespace agora {
namespace rtm {
// The only two symbols a backend library exports: C linkage, so unmangled despite the namespace.
extern "C" {
__attribute__((visibility("default"))) IRtmService* createRtmService(void);
__attribute__((visibility("default"))) const char* getRtmSdkVersion(void);
}

// Resolved with dlsym; these are the types the binding casts the symbols to.
using CreateRtmServiceFn = IRtmService* (*)();
using GetRtmSdkVersionFn = const char* (*)();
}  // namespace rtm
}  // namespace agora
