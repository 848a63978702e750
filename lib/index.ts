/**
 * AgoraRTM (the default export) and every class, enum, error and type of the RTM 1.x API.
 *
 * @module agora-rtm-node
 */
import AgoraRTM from './agora-rtm';

export default AgoraRTM;
export {
  AgoraRTM,
  createInstance,
  getSdkVersion,
  DEFAULT_SDK_LIBRARY,
  ENV,
  type AgoraRTMStatic,
  type Backend,
  type BackendOptions,
  type CreateInstanceOptions,
} from './agora-rtm';
export {
  LocalInvitation,
  MAX_INVITATION_TEXT_BYTES,
  RemoteInvitation,
  type LocalInvitationEvents,
  type RemoteInvitationEvents,
} from './invitation';
export { RtmClient, SAFETY_TIMEOUTS_MS, type LoginOptions, type RtmClientEvents, type SafetyTimeouts } from './client';
export { RtmChannel, type RtmChannelEvents } from './channel';
export {
  MAX_CHANNEL_ID_BYTES,
  MAX_MEMBER_COUNT_CHANNELS,
  type ChannelAttributeOptions,
  type ChannelAttributeProperties,
  type ChannelAttributes,
} from './channel-attributes';
export {
  MAX_MESSAGE_BYTES,
  type PeerMessageSendResult,
  type ReceivedMessageProperties,
  type ReceivedRawMessage,
  type ReceivedRtmMessage,
  type ReceivedTextMessage,
  type RtmMessage,
  type RtmRawMessage,
  type RtmTextMessage,
  type SendMessageOptions,
} from './messages';
export * from './enums';
export {
  LocalErrCode,
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvitationError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
  RtmReleasedError,
  RtmSdkNotFoundError,
  RtmTimeoutError,
  RtmUnauthenticatedError,
  type RtmErrorOptions,
} from './errors';
export { CPP_ENUMS, codeName, type CodeEntry, type CppEnum, type CppEnumName } from './codes';
export type { SdkAttempt } from './native';
// The emulator is also its own entry point, 'agora-rtm-node/emulator'.
export {
  Emulator,
  type EmulatorLimits,
  type EmulatorProfile,
  type EmulatorRateLimit,
  type EmulatorStartOptions,
} from './emulator';
