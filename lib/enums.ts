// Every enum of the public API (shared/api.md).
//
// - States and reasons are string enums whose values equal their names, as in the Web SDK.
// - Error codes are numeric enums whose values ARE the C++ values (include/rtm/*.h) and whose
//   names are the C++ enumerators without their prefix (LOGIN_ERR_TIMEOUT → LoginErrCode.TIMEOUT).
//
// The C++ side of each enum (its C++ name, its enumerators, the numbers behind the string enums)
// lives in codes.ts, which is derived from these definitions. test/enums.test.ts compares both
// with the headers.

// ---------------------------------------------------------------------------------------------
// String enums (states and reasons)
// ---------------------------------------------------------------------------------------------

/** C++ `CONNECTION_STATE`. */
export enum ConnectionState {
  DISCONNECTED = 'DISCONNECTED',
  CONNECTING = 'CONNECTING',
  CONNECTED = 'CONNECTED',
  RECONNECTING = 'RECONNECTING',
  ABORTED = 'ABORTED',
}

/** C++ `CONNECTION_CHANGE_REASON`. */
export enum ConnectionChangeReason {
  LOGIN = 'LOGIN',
  LOGIN_SUCCESS = 'LOGIN_SUCCESS',
  LOGIN_FAILURE = 'LOGIN_FAILURE',
  LOGIN_TIMEOUT = 'LOGIN_TIMEOUT',
  INTERRUPTED = 'INTERRUPTED',
  LOGOUT = 'LOGOUT',
  BANNED_BY_SERVER = 'BANNED_BY_SERVER',
  REMOTE_LOGIN = 'REMOTE_LOGIN',
}

/** C++ `LOCAL_INVITATION_STATE`. */
export enum LocalInvitationState {
  IDLE = 'IDLE',
  SENT_TO_REMOTE = 'SENT_TO_REMOTE',
  RECEIVED_BY_REMOTE = 'RECEIVED_BY_REMOTE',
  ACCEPTED_BY_REMOTE = 'ACCEPTED_BY_REMOTE',
  REFUSED_BY_REMOTE = 'REFUSED_BY_REMOTE',
  CANCELED = 'CANCELED',
  FAILURE = 'FAILURE',
}

/** C++ `REMOTE_INVITATION_STATE`. */
export enum RemoteInvitationState {
  IDLE = 'IDLE',
  INVITATION_RECEIVED = 'INVITATION_RECEIVED',
  ACCEPT_SENT_TO_LOCAL = 'ACCEPT_SENT_TO_LOCAL',
  REFUSED = 'REFUSED',
  ACCEPTED = 'ACCEPTED',
  CANCELED = 'CANCELED',
  FAILURE = 'FAILURE',
}

/** The failure values of C++ `LOCAL_INVITATION_ERR_CODE` (argument of onLocalInvitationFailure). */
export enum LocalInvitationFailureReason {
  PEER_OFFLINE = 'PEER_OFFLINE',
  PEER_NO_RESPONSE = 'PEER_NO_RESPONSE',
  INVITATION_EXPIRE = 'INVITATION_EXPIRE',
  NOT_LOGGEDIN = 'NOT_LOGGEDIN',
}

/** The failure values of C++ `REMOTE_INVITATION_ERR_CODE` (argument of onRemoteInvitationFailure). */
export enum RemoteInvitationFailureReason {
  PEER_OFFLINE = 'PEER_OFFLINE',
  ACCEPT_FAILURE = 'ACCEPT_FAILURE',
  INVITATION_EXPIRE = 'INVITATION_EXPIRE',
}

/** C++ `PEER_ONLINE_STATE`. */
export enum PeerOnlineState {
  ONLINE = 'ONLINE',
  UNREACHABLE = 'UNREACHABLE',
  OFFLINE = 'OFFLINE',
}

/** C++ `PEER_SUBSCRIPTION_OPTION`. */
export enum PeerSubscriptionOption {
  ONLINE_STATUS = 'ONLINE_STATUS',
}

/** C++ `MESSAGE_TYPE`. */
export enum MessageType {
  UNDEFINED = 'UNDEFINED',
  TEXT = 'TEXT',
  RAW = 'RAW',
}

/**
 * C++ `LOG_FILTER_TYPE` (bit masks): OFF → 0, CRITICAL → 0x8, ERROR → 0xc, WARNING → 0xe
 * (`LOG_FILTER_WARN`), INFO → 0xf. Each level includes the ones before it.
 */
export enum LogFilter {
  OFF = 'OFF',
  CRITICAL = 'CRITICAL',
  ERROR = 'ERROR',
  WARNING = 'WARNING',
  INFO = 'INFO',
}

// ---------------------------------------------------------------------------------------------
// Numeric enums (error codes): the C++ values, the C++ names without the prefix
// ---------------------------------------------------------------------------------------------

/** C++ `INIT_ERR_CODE`: result of IRtmService::initialize (createInstance). */
export enum InitErrCode {
  OK = 0,
  FAILURE = 1,
  ALREADY_INITIALIZED = 2,
  INVALID_APP_ID = 3,
  INVALID_ARGUMENT = 4,
}

/** C++ `LOGIN_ERR_CODE`. */
export enum LoginErrCode {
  OK = 0,
  UNKNOWN = 1,
  REJECTED = 2,
  INVALID_ARGUMENT = 3,
  INVALID_APP_ID = 4,
  INVALID_TOKEN = 5,
  TOKEN_EXPIRED = 6,
  NOT_AUTHORIZED = 7,
  ALREADY_LOGGED_IN = 8,
  TIMEOUT = 9,
  TOO_OFTEN = 10,
  NOT_INITIALIZED = 101,
}

/** C++ `LOGOUT_ERR_CODE`. */
export enum LogoutErrCode {
  OK = 0,
  REJECTED = 1,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `RENEW_TOKEN_ERR_CODE`. */
export enum RenewTokenErrCode {
  OK = 0,
  FAILURE = 1,
  INVALID_ARGUMENT = 2,
  REJECTED = 3,
  TOO_OFTEN = 4,
  TOKEN_EXPIRED = 5,
  INVALID_TOKEN = 6,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `PEER_MESSAGE_ERR_CODE`. */
export enum PeerMessageErrCode {
  OK = 0,
  FAILURE = 1,
  SENT_TIMEOUT = 2,
  PEER_UNREACHABLE = 3,
  CACHED_BY_SERVER = 4,
  TOO_OFTEN = 5,
  INVALID_USERID = 6,
  INVALID_MESSAGE = 7,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `JOIN_CHANNEL_ERR` (`TIMEOUT` is the C++ `JOIN_CHANNEL_TIMEOUT`, spelled without `_ERR_`). */
export enum JoinChannelErrCode {
  OK = 0,
  FAILURE = 1,
  REJECTED = 2,
  INVALID_ARGUMENT = 3,
  TIMEOUT = 4,
  EXCEED_LIMIT = 5,
  ALREADY_JOINED = 6,
  TOO_OFTEN = 7,
  JOIN_SAME_CHANNEL_TOO_OFTEN = 8,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `LEAVE_CHANNEL_ERR`. */
export enum LeaveChannelErrCode {
  OK = 0,
  FAILURE = 1,
  REJECTED = 2,
  NOT_IN_CHANNEL = 3,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `LEAVE_CHANNEL_REASON` (no v1.2.2 signature uses it; kept so the code table is complete). */
export enum LeaveChannelReason {
  QUIT = 1,
  KICKED = 2,
}

/** C++ `CHANNEL_MESSAGE_ERR_CODE`. */
export enum ChannelMessageErrCode {
  OK = 0,
  FAILURE = 1,
  SENT_TIMEOUT = 2,
  TOO_OFTEN = 3,
  INVALID_MESSAGE = 4,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `GET_MEMBERS_ERR`. */
export enum GetMembersErrCode {
  OK = 0,
  FAILURE = 1,
  REJECTED = 2,
  TIMEOUT = 3,
  TOO_OFTEN = 4,
  NOT_IN_CHANNEL = 5,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `QUERY_PEERS_ONLINE_STATUS_ERR`. */
export enum QueryPeersOnlineStatusErrCode {
  OK = 0,
  FAILURE = 1,
  INVALID_ARGUMENT = 2,
  REJECTED = 3,
  TIMEOUT = 4,
  TOO_OFTEN = 5,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `PEER_SUBSCRIPTION_STATUS_ERR`. */
export enum PeerSubscriptionStatusErrCode {
  OK = 0,
  FAILURE = 1,
  INVALID_ARGUMENT = 2,
  REJECTED = 3,
  TIMEOUT = 4,
  TOO_OFTEN = 5,
  OVERFLOW = 6,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR`. */
export enum QueryPeersBySubscriptionOptionErrCode {
  OK = 0,
  FAILURE = 1,
  TIMEOUT = 2,
  TOO_OFTEN = 3,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `ATTRIBUTE_OPERATION_ERR`. */
export enum AttributeOperationErrCode {
  OK = 0,
  NOT_READY = 1,
  FAILURE = 2,
  INVALID_ARGUMENT = 3,
  SIZE_OVERFLOW = 4,
  TOO_OFTEN = 5,
  USER_NOT_FOUND = 6,
  TIMEOUT = 7,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `GET_CHANNEL_MEMBER_COUNT_ERR_CODE`. */
export enum GetChannelMemberCountErrCode {
  OK = 0,
  FAILURE = 1,
  INVALID_ARGUMENT = 2,
  TOO_OFTEN = 3,
  TIMEOUT = 4,
  EXCEED_LIMIT = 5,
  NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
}

/** C++ `LOCAL_INVITATION_ERR_CODE`. */
export enum LocalInvitationErrCode {
  OK = 0,
  PEER_OFFLINE = 1,
  PEER_NO_RESPONSE = 2,
  INVITATION_EXPIRE = 3,
  NOT_LOGGEDIN = 4,
}

/** C++ `REMOTE_INVITATION_ERR_CODE`. */
export enum RemoteInvitationErrCode {
  OK = 0,
  PEER_OFFLINE = 1,
  ACCEPT_FAILURE = 2,
  INVITATION_EXPIRE = 3,
}

/** C++ `INVITATION_API_CALL_ERR_CODE`: result of send/accept/refuse/cancel on invitations. */
export enum InvitationApiCallErrCode {
  OK = 0,
  INVALID_ARGUMENT = 1,
  NOT_STARTED = 2,
  ALREADY_END = 3,
  ALREADY_ACCEPT = 4,
  ALREADY_SENT = 5,
}
