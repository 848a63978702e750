// The one table from C++ enum values to TS values and C++ enumerator names (codeName).
//
// It is derived from enums.ts: a numeric enum already holds the C++ values, so its entry only
// names the C++ prefix (plus the odd enumerator that does not follow it); a string enum's entry
// adds the C++ number of each member. A value the table does not know (a newer SDK) is passed on
// as its number, never dropped.
import {
  AttributeOperationErrCode,
  ChannelMessageErrCode,
  ConnectionChangeReason,
  ConnectionState,
  GetChannelMemberCountErrCode,
  GetMembersErrCode,
  InitErrCode,
  InvitationApiCallErrCode,
  JoinChannelErrCode,
  LeaveChannelErrCode,
  LeaveChannelReason,
  LocalInvitationErrCode,
  LocalInvitationFailureReason,
  LocalInvitationState,
  LogFilter,
  LoginErrCode,
  LogoutErrCode,
  MessageType,
  PeerMessageErrCode,
  PeerOnlineState,
  PeerSubscriptionOption,
  PeerSubscriptionStatusErrCode,
  QueryPeersBySubscriptionOptionErrCode,
  QueryPeersOnlineStatusErrCode,
  RemoteInvitationErrCode,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
  RenewTokenErrCode,
} from './enums';

/** One C++ enumerator. */
export interface CodeEntry {
  /** The C++ value. */
  readonly value: number;
  /** The C++ enumerator, e.g. 'LOGIN_ERR_TIMEOUT'. */
  readonly codeName: string;
  /** The TS enum member's name, e.g. 'TIMEOUT'. */
  readonly key: string;
  /** The TS enum value: the number itself for error codes, the name for string enums. */
  readonly ts: string | number;
}

/** One C++ enum. */
export interface CppEnum {
  /** The C++ enum's name, e.g. 'LOGIN_ERR_CODE'. */
  readonly name: string;
  /** The TS enum's name, e.g. 'LoginErrCode'. */
  readonly tsName: string;
  readonly entries: readonly CodeEntry[];
  readonly byValue: ReadonlyMap<number, CodeEntry>;
  readonly byKey: ReadonlyMap<string, CodeEntry>;
}

type NumericEnumObject = Record<string, string | number>;
type StringEnumObject = Record<string, string>;

function build(name: string, tsName: string, entries: CodeEntry[]): CppEnum {
  return {
    name,
    tsName,
    entries,
    byValue: new Map(entries.map((e) => [e.value, e])),
    byKey: new Map(entries.map((e) => [e.key, e])),
  };
}

/** Members of a TS numeric enum (its object also holds the reverse mapping number → name). */
function numericMembers(e: NumericEnumObject): [string, number][] {
  return Object.entries(e).filter((kv): kv is [string, number] => typeof kv[1] === 'number');
}

function numeric<E extends NumericEnumObject>(
  name: string,
  tsName: string,
  e: E,
  prefix: string,
  rename: Partial<Record<keyof E, string>> = {},
): CppEnum {
  const entries = numericMembers(e).map(([key, value]) => ({
    value,
    key,
    ts: value,
    codeName: (rename as Record<string, string | undefined>)[key] ?? prefix + key,
  }));
  return build(name, tsName, entries);
}

function strings<E extends StringEnumObject>(
  name: string,
  tsName: string,
  e: E,
  prefix: string,
  values: { readonly [K in keyof E]: number },
  rename: Partial<Record<keyof E, string>> = {},
): CppEnum {
  const entries = Object.keys(e).map((key) => ({
    value: values[key],
    key,
    ts: e[key],
    codeName: (rename as Record<string, string | undefined>)[key] ?? prefix + key,
  }));
  return build(name, tsName, entries);
}

/** Every C++ enum of include/rtm/*.h, by its C++ name. */
export const CPP_ENUMS = {
  // rtm_service.h
  INIT_ERR_CODE: numeric('INIT_ERR_CODE', 'InitErrCode', InitErrCode, 'INIT_ERR_'),
  LOGIN_ERR_CODE: numeric('LOGIN_ERR_CODE', 'LoginErrCode', LoginErrCode, 'LOGIN_ERR_'),
  LOGOUT_ERR_CODE: numeric('LOGOUT_ERR_CODE', 'LogoutErrCode', LogoutErrCode, 'LOGOUT_ERR_'),
  RENEW_TOKEN_ERR_CODE: numeric('RENEW_TOKEN_ERR_CODE', 'RenewTokenErrCode', RenewTokenErrCode, 'RENEW_TOKEN_ERR_'),
  CONNECTION_STATE: strings('CONNECTION_STATE', 'ConnectionState', ConnectionState, 'CONNECTION_STATE_', {
    DISCONNECTED: 1,
    CONNECTING: 2,
    CONNECTED: 3,
    RECONNECTING: 4,
    ABORTED: 5,
  }),
  CONNECTION_CHANGE_REASON: strings(
    'CONNECTION_CHANGE_REASON',
    'ConnectionChangeReason',
    ConnectionChangeReason,
    'CONNECTION_CHANGE_REASON_',
    {
      LOGIN: 1,
      LOGIN_SUCCESS: 2,
      LOGIN_FAILURE: 3,
      LOGIN_TIMEOUT: 4,
      INTERRUPTED: 5,
      LOGOUT: 6,
      BANNED_BY_SERVER: 7,
      REMOTE_LOGIN: 8,
    },
  ),
  PEER_MESSAGE_ERR_CODE: numeric('PEER_MESSAGE_ERR_CODE', 'PeerMessageErrCode', PeerMessageErrCode, 'PEER_MESSAGE_ERR_'),
  JOIN_CHANNEL_ERR: numeric('JOIN_CHANNEL_ERR', 'JoinChannelErrCode', JoinChannelErrCode, 'JOIN_CHANNEL_ERR_', {
    TIMEOUT: 'JOIN_CHANNEL_TIMEOUT', // the SDK spells this one without _ERR_
  }),
  LEAVE_CHANNEL_ERR: numeric('LEAVE_CHANNEL_ERR', 'LeaveChannelErrCode', LeaveChannelErrCode, 'LEAVE_CHANNEL_ERR_'),
  LEAVE_CHANNEL_REASON: numeric('LEAVE_CHANNEL_REASON', 'LeaveChannelReason', LeaveChannelReason, 'LEAVE_CHANNEL_REASON_'),
  CHANNEL_MESSAGE_ERR_CODE: numeric(
    'CHANNEL_MESSAGE_ERR_CODE',
    'ChannelMessageErrCode',
    ChannelMessageErrCode,
    'CHANNEL_MESSAGE_ERR_',
  ),
  GET_MEMBERS_ERR: numeric('GET_MEMBERS_ERR', 'GetMembersErrCode', GetMembersErrCode, 'GET_MEMBERS_ERR_'),
  QUERY_PEERS_ONLINE_STATUS_ERR: numeric(
    'QUERY_PEERS_ONLINE_STATUS_ERR',
    'QueryPeersOnlineStatusErrCode',
    QueryPeersOnlineStatusErrCode,
    'QUERY_PEERS_ONLINE_STATUS_ERR_',
  ),
  PEER_ONLINE_STATE: strings('PEER_ONLINE_STATE', 'PeerOnlineState', PeerOnlineState, 'PEER_ONLINE_STATE_', {
    ONLINE: 0,
    UNREACHABLE: 1,
    OFFLINE: 2,
  }),
  PEER_SUBSCRIPTION_OPTION: strings(
    'PEER_SUBSCRIPTION_OPTION',
    'PeerSubscriptionOption',
    PeerSubscriptionOption,
    'PEER_SUBSCRIPTION_OPTION_',
    { ONLINE_STATUS: 0 },
  ),
  PEER_SUBSCRIPTION_STATUS_ERR: numeric(
    'PEER_SUBSCRIPTION_STATUS_ERR',
    'PeerSubscriptionStatusErrCode',
    PeerSubscriptionStatusErrCode,
    'PEER_SUBSCRIPTION_STATUS_ERR_',
  ),
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR: numeric(
    'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR',
    'QueryPeersBySubscriptionOptionErrCode',
    QueryPeersBySubscriptionOptionErrCode,
    'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_',
  ),
  ATTRIBUTE_OPERATION_ERR: numeric(
    'ATTRIBUTE_OPERATION_ERR',
    'AttributeOperationErrCode',
    AttributeOperationErrCode,
    'ATTRIBUTE_OPERATION_ERR_',
  ),
  GET_CHANNEL_MEMBER_COUNT_ERR_CODE: numeric(
    'GET_CHANNEL_MEMBER_COUNT_ERR_CODE',
    'GetChannelMemberCountErrCode',
    GetChannelMemberCountErrCode,
    'GET_CHANNEL_MEMBER_COUNT_ERR_',
  ),
  MESSAGE_TYPE: strings('MESSAGE_TYPE', 'MessageType', MessageType, 'MESSAGE_TYPE_', {
    UNDEFINED: 0,
    TEXT: 1,
    RAW: 2,
  }),
  // LOG_FILTER_MASK (0x080f, "reserved") has no TS member.
  LOG_FILTER_TYPE: strings(
    'LOG_FILTER_TYPE',
    'LogFilter',
    LogFilter,
    'LOG_FILTER_',
    { OFF: 0x0, CRITICAL: 0x8, ERROR: 0xc, WARNING: 0xe, INFO: 0xf },
    { WARNING: 'LOG_FILTER_WARN' },
  ),
  // rtm_call_manager.h
  LOCAL_INVITATION_STATE: strings(
    'LOCAL_INVITATION_STATE',
    'LocalInvitationState',
    LocalInvitationState,
    'LOCAL_INVITATION_STATE_',
    {
      IDLE: 0,
      SENT_TO_REMOTE: 1,
      RECEIVED_BY_REMOTE: 2,
      ACCEPTED_BY_REMOTE: 3,
      REFUSED_BY_REMOTE: 4,
      CANCELED: 5,
      FAILURE: 6,
    },
  ),
  REMOTE_INVITATION_STATE: strings(
    'REMOTE_INVITATION_STATE',
    'RemoteInvitationState',
    RemoteInvitationState,
    'REMOTE_INVITATION_STATE_',
    {
      IDLE: 0,
      INVITATION_RECEIVED: 1,
      ACCEPT_SENT_TO_LOCAL: 2,
      REFUSED: 3,
      ACCEPTED: 4,
      CANCELED: 5,
      FAILURE: 6,
    },
  ),
  LOCAL_INVITATION_ERR_CODE: numeric(
    'LOCAL_INVITATION_ERR_CODE',
    'LocalInvitationErrCode',
    LocalInvitationErrCode,
    'LOCAL_INVITATION_ERR_',
  ),
  REMOTE_INVITATION_ERR_CODE: numeric(
    'REMOTE_INVITATION_ERR_CODE',
    'RemoteInvitationErrCode',
    RemoteInvitationErrCode,
    'REMOTE_INVITATION_ERR_',
  ),
  INVITATION_API_CALL_ERR_CODE: numeric(
    'INVITATION_API_CALL_ERR_CODE',
    'InvitationApiCallErrCode',
    InvitationApiCallErrCode,
    'INVITATION_API_CALL_ERR_',
  ),
} as const satisfies Record<string, CppEnum>;

/** The C++ name of an enum of the table, e.g. 'LOGIN_ERR_CODE'. */
export type CppEnumName = keyof typeof CPP_ENUMS;

/** The C++ enumerator of a value, or `NAME(value)` for a value this table does not know. */
export function codeName(cppEnum: CppEnumName, value: number): string {
  return CPP_ENUMS[cppEnum].byValue.get(value)?.codeName ?? `${cppEnum}(${value})`;
}

/** The TS member name of a value ('TIMEOUT' for LOGIN_ERR_TIMEOUT), undefined when unknown. */
export function codeKey(cppEnum: CppEnumName, value: number): string | undefined {
  return CPP_ENUMS[cppEnum].byValue.get(value)?.key;
}

/** The C++ value of a member ('TIMEOUT' → 9 in LOGIN_ERR_CODE), undefined when the enum has none. */
export function codeOf(cppEnum: CppEnumName, key: string): number | undefined {
  return CPP_ENUMS[cppEnum].byKey.get(key)?.value;
}

function toTs<T extends string>(cppEnum: CppEnumName, value: number): T | number {
  const entry = CPP_ENUMS[cppEnum].byValue.get(value);
  return entry === undefined ? value : (entry.ts as T);
}

function fromTs(cppEnum: CppEnumName, ts: string): number {
  for (const e of CPP_ENUMS[cppEnum].entries) if (e.ts === ts) return e.value;
  throw new RangeError(`${ts} is not a member of ${CPP_ENUMS[cppEnum].tsName}`);
}

// C++ → TS. An unknown value (a newer SDK) comes back as its number.
export const toConnectionState = (v: number): ConnectionState | number => toTs<ConnectionState>('CONNECTION_STATE', v);
export const toConnectionChangeReason = (v: number): ConnectionChangeReason | number =>
  toTs<ConnectionChangeReason>('CONNECTION_CHANGE_REASON', v);
export const toPeerOnlineState = (v: number): PeerOnlineState | number => toTs<PeerOnlineState>('PEER_ONLINE_STATE', v);
export const toMessageType = (v: number): MessageType | number => toTs<MessageType>('MESSAGE_TYPE', v);
export const toLocalInvitationState = (v: number): LocalInvitationState | number =>
  toTs<LocalInvitationState>('LOCAL_INVITATION_STATE', v);
export const toRemoteInvitationState = (v: number): RemoteInvitationState | number =>
  toTs<RemoteInvitationState>('REMOTE_INVITATION_STATE', v);

/** LOCAL_INVITATION_ERR_CODE → its failure reason (OK and unknown values stay numbers). */
export function toLocalInvitationFailureReason(v: number): LocalInvitationFailureReason | number {
  const key = codeKey('LOCAL_INVITATION_ERR_CODE', v);
  const reasons: Record<string, LocalInvitationFailureReason> = LocalInvitationFailureReason;
  return (key !== undefined ? reasons[key] : undefined) ?? v;
}

/** REMOTE_INVITATION_ERR_CODE → its failure reason (OK and unknown values stay numbers). */
export function toRemoteInvitationFailureReason(v: number): RemoteInvitationFailureReason | number {
  const key = codeKey('REMOTE_INVITATION_ERR_CODE', v);
  const reasons: Record<string, RemoteInvitationFailureReason> = RemoteInvitationFailureReason;
  return (key !== undefined ? reasons[key] : undefined) ?? v;
}

// TS → C++ (only valid members; validate first).
export const fromLogFilter = (f: LogFilter): number => fromTs('LOG_FILTER_TYPE', f);
export const fromPeerSubscriptionOption = (o: PeerSubscriptionOption): number => fromTs('PEER_SUBSCRIPTION_OPTION', o);
export const fromConnectionState = (s: ConnectionState): number => fromTs('CONNECTION_STATE', s);
