// The enums of the public API (shared/api.md), by name: checked against the headers by
// enums.test.ts and required from the package entry point by exports.test.ts.

/** String enums (states and reasons). */
export const API_STRING_ENUMS = [
  'ConnectionState',
  'ConnectionChangeReason',
  'LocalInvitationState',
  'RemoteInvitationState',
  'LocalInvitationFailureReason',
  'RemoteInvitationFailureReason',
  'PeerOnlineState',
  'PeerSubscriptionOption',
  'MessageType',
  'LogFilter',
] as const;

/** Numeric enums (error codes). */
export const API_NUMERIC_ENUMS = [
  'LoginErrCode',
  'LogoutErrCode',
  'RenewTokenErrCode',
  'PeerMessageErrCode',
  'JoinChannelErrCode',
  'LeaveChannelErrCode',
  'ChannelMessageErrCode',
  'GetMembersErrCode',
  'QueryPeersOnlineStatusErrCode',
  'PeerSubscriptionStatusErrCode',
  'QueryPeersBySubscriptionOptionErrCode',
  'AttributeOperationErrCode',
  'GetChannelMemberCountErrCode',
  'LocalInvitationErrCode',
  'RemoteInvitationErrCode',
  'InvitationApiCallErrCode',
  'InitErrCode',
] as const;
