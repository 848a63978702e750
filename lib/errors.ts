// RtmError and its subclasses, and the factory that builds one from (operation, C++ enum, code).
// Pure: loads no native code (test/errors.test.ts runs without the addon).
import { codeKey, codeName, codeOf, type CppEnumName } from './codes';
import type { SdkAttempt } from './native';

/**
 * Codes of errors raised by this package itself rather than by the SDK. They are negative so
 * they never collide with an SDK code.
 */
export enum LocalErrCode {
  /** The client (or the object) was released. */
  RELEASED = -1,
  /** The 'agora' backend could not load libagora_rtm_sdk.so. */
  SDK_NOT_FOUND = -2,
  /** The feature is not implemented yet. */
  NOT_IMPLEMENTED = -3,
  /** An argument was rejected before any native call, where the SDK enum has no such code. */
  INVALID_ARGUMENT = -4,
  /** The native addon failed in an unexpected way (see `cause`). */
  NATIVE = -5,
  /** A helper of 'agora-rtm-node/testing' waited in vain. */
  WAIT_TIMEOUT = -6,
  /** The emulated service refused a control request (see the message). */
  EMULATOR = -7,
  /**
   * A synchronous SDK call (setParameters, setLogFile, setLogFilter, setLogFileSize) returned
   * non-zero; the SDK's own return value is in `sdkResult`.
   */
  SDK_CALL_FAILED = -8,
  /** createInstance's `emulator` URL names no emulated service this process can reach. */
  EMULATOR_URL = -9,
}

const LOCAL_CODE_NAMES: Record<LocalErrCode, string> = {
  [LocalErrCode.RELEASED]: 'ERR_RTM_RELEASED',
  [LocalErrCode.SDK_NOT_FOUND]: 'ERR_RTM_SDK_NOT_FOUND',
  [LocalErrCode.NOT_IMPLEMENTED]: 'ERR_RTM_NOT_IMPLEMENTED',
  [LocalErrCode.INVALID_ARGUMENT]: 'ERR_RTM_INVALID_ARGUMENT',
  [LocalErrCode.NATIVE]: 'ERR_RTM_NATIVE',
  [LocalErrCode.WAIT_TIMEOUT]: 'ERR_RTM_WAIT_TIMEOUT',
  [LocalErrCode.EMULATOR]: 'ERR_RTM_EMULATOR',
  [LocalErrCode.SDK_CALL_FAILED]: 'ERR_RTM_SDK_CALL_FAILED',
  [LocalErrCode.EMULATOR_URL]: 'ERR_RTM_EMULATOR_URL',
};

/** The codeName of a LocalErrCode, e.g. 'ERR_RTM_RELEASED'. */
export function localCodeName(code: LocalErrCode): string {
  return LOCAL_CODE_NAMES[code];
}

export interface RtmErrorOptions {
  /** The SDK's code (a C++ enum value), or a LocalErrCode. */
  code: number;
  /** The C++ enumerator (e.g. 'LOGIN_ERR_TIMEOUT'), or a clear name of the local cause. */
  codeName: string;
  /** The API call that failed, e.g. 'login'. */
  operation: string;
  cause?: unknown;
  /** What the SDK returned, for ERR_RTM_SDK_CALL_FAILED. */
  sdkResult?: number;
}

/** Every rejection and throw of this package (except TypeErrors for arguments of a wrong JS type). */
export class RtmError extends Error {
  /** The SDK's code (a value of the operation's ...ErrCode enum), or a negative LocalErrCode. */
  readonly code: number;
  /** The C++ enumerator, e.g. 'LOGIN_ERR_TIMEOUT', or 'ERR_RTM_…' for local causes. */
  readonly codeName: string;
  /** The API call that failed, e.g. 'login'. */
  readonly operation: string;
  /** ERR_RTM_SDK_CALL_FAILED only: the value the SDK returned (its own, possibly negative, code). */
  readonly sdkResult?: number;

  constructor(message: string, options: RtmErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.codeName = options.codeName;
    this.operation = options.operation;
    if (options.sdkResult !== undefined) this.sdkResult = options.sdkResult;
  }
}

/** No answer in time: the SDK's own timeout code, or this package's safety timeout. */
export class RtmTimeoutError extends RtmError {}
/** An argument was rejected (by this package before any native call, or by the SDK). */
export class RtmInvalidArgumentError extends RtmError {}
/** The call does not fit the client's state (not logged in, already logged in, not joined…). */
export class RtmInvalidStatusError extends RtmError {}
/** A rate limit of the SDK was hit. */
export class RtmInvokeTooOftenError extends RtmError {}
/** A count or size limit was exceeded. */
export class RtmLimitExceededError extends RtmError {}
/** The token or App ID was not accepted. */
export class RtmUnauthenticatedError extends RtmError {}
/** An invitation API call in a wrong state; `code` is an InvitationApiCallErrCode. */
export class RtmInvitationError extends RtmError {}

/** The object was released: every later call fails with this. */
export class RtmReleasedError extends RtmError {
  constructor(operation: string, message?: string) {
    super(
      message ??
        `${operation}() was called on a released client (or a call was cut off by release()); create a new client with AgoraRTM.createInstance().`,
      { code: LocalErrCode.RELEASED, codeName: localCodeName(LocalErrCode.RELEASED), operation },
    );
  }
}

/** The 'agora' backend could not load the real SDK; `attempts` lists every path tried and why it failed. */
export class RtmSdkNotFoundError extends RtmError {
  readonly attempts: readonly SdkAttempt[];

  constructor(attempts: readonly SdkAttempt[], operation = 'createInstance', cause?: unknown) {
    const tried =
      attempts.length === 0
        ? '  (no candidate path)'
        : attempts.map((a) => `  - ${a.path}: ${a.reason}`).join('\n');
    super(
      [
        'Could not load the Agora RTM 1.x Linux C++ SDK (libagora_rtm_sdk.so). Tried:',
        tried,
        'To fix: download the Agora RTM (Signaling) 1.x SDK for Linux C++ from Agora, then pass the path of',
        "libagora_rtm_sdk.so as the `sdkPath` option, set AGORA_RTM_SDK_PATH=/path/to/libagora_rtm_sdk.so,",
        'or add its directory to LD_LIBRARY_PATH. To run without the SDK, use the offline emulator:',
        "AgoraRTM.createInstance(appId, { backend: 'emulator' }) or AGORA_RTM_BACKEND=emulator.",
      ].join('\n'),
      {
        code: LocalErrCode.SDK_NOT_FOUND,
        codeName: localCodeName(LocalErrCode.SDK_NOT_FOUND),
        operation,
        cause,
      },
    );
    this.attempts = attempts.map((a) => ({ path: a.path, reason: a.reason }));
  }
}

// `name` lives on each prototype (set before any instance exists, so stack traces show it too).
for (const cls of [
  RtmError,
  RtmTimeoutError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
  RtmUnauthenticatedError,
  RtmInvitationError,
  RtmReleasedError,
  RtmSdkNotFoundError,
] as const) {
  Object.defineProperty(cls.prototype, 'name', {
    value: cls.name,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

type RtmErrorClass = new (message: string, options: RtmErrorOptions) => RtmError;

/** The subclass for an enumerator's meaning, by its name without the prefix ('TIMEOUT'). */
function classFor(cppEnum: CppEnumName, key: string | undefined): RtmErrorClass {
  if (cppEnum === 'INVITATION_API_CALL_ERR_CODE') return RtmInvitationError;
  if (key === undefined) return RtmError;
  if (key.endsWith('TIMEOUT')) return RtmTimeoutError; // TIMEOUT, SENT_TIMEOUT, JOIN_CHANNEL_TIMEOUT
  switch (key) {
    case 'INVALID_ARGUMENT':
    case 'INVALID_USERID':
    case 'INVALID_MESSAGE':
    case 'INVALID_APP_ID':
      return RtmInvalidArgumentError;
    case 'TOO_OFTEN':
    case 'JOIN_SAME_CHANNEL_TOO_OFTEN':
      return RtmInvokeTooOftenError;
    case 'NOT_INITIALIZED':
    case 'ALREADY_INITIALIZED':
    case 'USER_NOT_LOGGED_IN':
    case 'NOT_LOGGEDIN':
    case 'ALREADY_LOGGED_IN':
    case 'NOT_IN_CHANNEL':
    case 'ALREADY_JOINED':
      return RtmInvalidStatusError;
    case 'EXCEED_LIMIT':
    case 'OVERFLOW':
    case 'SIZE_OVERFLOW':
      return RtmLimitExceededError;
    case 'INVALID_TOKEN':
    case 'TOKEN_EXPIRED':
    case 'NOT_AUTHORIZED':
      return RtmUnauthenticatedError;
    default:
      return RtmError;
  }
}

const ID_RULE = '1–64 bytes of a-z A-Z 0-9, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , (not "null")';

/** What to do, by the enumerator's name without the prefix. */
const HINTS: Record<string, string> = {
  TIMEOUT: 'no answer in time; check the network (calls made while RECONNECTING or ABORTED time out) and retry.',
  SENT_TIMEOUT: 'the message was not acknowledged in time; check the network and send it again.',
  INVALID_ARGUMENT: `an argument was rejected; check ids (${ID_RULE}), sizes and counts.`,
  INVALID_USERID: `the user id is invalid; use ${ID_RULE}.`,
  INVALID_MESSAGE: 'the message is missing or larger than 32 KB; shorten it.',
  INVALID_APP_ID: 'the App ID is invalid; pass the 32-character App ID of your Agora project.',
  TOO_OFTEN: 'a rate limit of the SDK was hit; slow down and retry later.',
  JOIN_SAME_CHANNEL_TOO_OFTEN: 'the same channel was joined more than twice within 5 s; wait and retry.',
  NOT_INITIALIZED: 'the service is not initialized; create a new client with AgoraRTM.createInstance().',
  ALREADY_INITIALIZED: 'the service was initialized twice; create a new client instead.',
  USER_NOT_LOGGED_IN: 'the client is not logged in; call login() and wait for it to resolve first.',
  NOT_LOGGEDIN: 'the client is not logged in; call login() and wait for it to resolve first.',
  ALREADY_LOGGED_IN:
    'the client is already logged in, logging in, or ABORTED; wait for the pending login, or call logout() before login() again.',
  NOT_IN_CHANNEL: 'the client is not in the channel; join() it first.',
  ALREADY_JOINED: 'the channel is joined or being joined; leave() it before joining again.',
  EXCEED_LIMIT: 'a count limit was exceeded (at most 20 joined channels; 32 channel ids per member-count query).',
  OVERFLOW: 'at most 512 peers can be subscribed; unsubscribe some first.',
  SIZE_OVERFLOW:
    'an attribute limit would be exceeded (value ≤ 8 KB; ≤ 32 attributes; total ≤ 16 KB per user, 32 KB per channel).',
  INVALID_TOKEN:
    'the token was not accepted; generate one for this App ID and user id (or pass none if the project has no App Certificate).',
  TOKEN_EXPIRED: 'the token has expired; generate a fresh one and log in again (or call renewToken()).',
  NOT_AUTHORIZED: "not authorized; check the App ID, the token and the project's settings in the Agora console.",
  REJECTED: "the request was rejected; check the client's state and retry.",
  USER_NOT_FOUND: 'the user is offline or does not exist.',
  PEER_UNREACHABLE: 'the peer is offline; the message was not delivered.',
  CACHED_BY_SERVER: 'the peer is offline; the server keeps the message for later delivery.',
  NOT_STARTED: 'the invitation has not been sent yet; send() it first.',
  ALREADY_END: 'the invitation has already ended (accepted, refused, canceled or failed).',
  ALREADY_ACCEPT: 'the invitation has already been accepted.',
  ALREADY_SENT: 'the invitation has already been sent; create a new one to send again.',
  PEER_OFFLINE: 'the peer stayed offline.',
  PEER_NO_RESPONSE: 'the peer did not answer in time.',
  INVITATION_EXPIRE: 'the invitation expired before an answer.',
  ACCEPT_FAILURE: 'the acceptance did not reach the caller.',
};
const DEFAULT_HINT = 'the SDK reported a failure; retry, and see the SDK log (setLogFile) for details.';

/**
 * The error for a non-zero SDK result `code` of C++ enum `cppEnum`, the subclass chosen by the
 * code's meaning. `detail` is appended to the message.
 */
export function errorFor(
  operation: string,
  cppEnum: CppEnumName,
  code: number,
  detail?: string,
  cause?: unknown,
): RtmError {
  const key = codeKey(cppEnum, code);
  const name = codeName(cppEnum, code);
  const hint = (key !== undefined ? HINTS[key] : undefined) ?? DEFAULT_HINT;
  const Cls = classFor(cppEnum, key);
  const message = `${operation}() failed with ${name} (${code}): ${hint}${detail ? ` ${detail}` : ''}`;
  return new Cls(message, { code, codeName: name, operation, cause });
}

/**
 * The error for this package's safety timeout: the call got no answer from the SDK within
 * `ms` (the SDK's documented timeout plus a margin; the real SDK leaves some calls unanswered).
 * Its code is the enum's TIMEOUT-like code, else UNKNOWN / FAILURE / REJECTED.
 */
export function timeoutError(operation: string, cppEnum: CppEnumName, ms: number): RtmTimeoutError {
  let code: number = LocalErrCode.NATIVE;
  for (const key of ['TIMEOUT', 'SENT_TIMEOUT', 'UNKNOWN', 'FAILURE', 'REJECTED']) {
    const c = codeOf(cppEnum, key);
    if (c !== undefined) {
      code = c;
      break;
    }
  }
  return new RtmTimeoutError(
    `${operation}() got no answer from the SDK within ${ms} ms (safety timeout); check the network and the client's connection state, then retry.`,
    { code, codeName: codeName(cppEnum, code), operation },
  );
}

/** An argument rejected before any native call, with the operation's INVALID_ARGUMENT-like code. */
export function invalidArgument(
  operation: string,
  cppEnum: CppEnumName | undefined,
  message: string,
  key = 'INVALID_ARGUMENT',
): RtmInvalidArgumentError {
  const code = cppEnum !== undefined ? (codeOf(cppEnum, key) ?? codeOf(cppEnum, 'INVALID_ARGUMENT')) : undefined;
  if (cppEnum !== undefined && code !== undefined) {
    return new RtmInvalidArgumentError(`${operation}(): ${message}`, {
      code,
      codeName: codeName(cppEnum, code),
      operation,
    });
  }
  return new RtmInvalidArgumentError(`${operation}(): ${message}`, {
    code: LocalErrCode.INVALID_ARGUMENT,
    codeName: localCodeName(LocalErrCode.INVALID_ARGUMENT),
    operation,
  });
}

/** An error of a local cause (LocalErrCode) as a plain RtmError. */
export function localError(operation: string, code: LocalErrCode, message: string, cause?: unknown): RtmError {
  return new RtmError(message, { code, codeName: localCodeName(code), operation, cause });
}

interface ErrorWithCode {
  code?: unknown;
  attempts?: unknown;
  initCode?: unknown;
  message?: unknown;
}

function isSdkAttempt(v: unknown): v is SdkAttempt {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SdkAttempt).path === 'string' &&
    typeof (v as SdkAttempt).reason === 'string'
  );
}

/** @internal An Error of the native addon saying its object (or the client) was released. */
export function isReleasedError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ERR_RTM_RELEASED';
}

/**
 * Maps an Error thrown by the native addon (native.ts: ERR_RTM_SDK_NOT_FOUND, ERR_RTM_INIT,
 * ERR_RTM_RELEASED) to its RtmError; anything else becomes an RtmError with code NATIVE.
 */
export function fromNativeError(err: unknown, operation: string): RtmError {
  if (err instanceof RtmError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorWithCode;
  switch (e.code) {
    case 'ERR_RTM_SDK_NOT_FOUND': {
      const attempts = Array.isArray(e.attempts) ? e.attempts.filter(isSdkAttempt) : [];
      return new RtmSdkNotFoundError(attempts, operation, err);
    }
    case 'ERR_RTM_INIT': {
      const initCode = typeof e.initCode === 'number' ? e.initCode : -1;
      return errorFor('initialize', 'INIT_ERR_CODE', initCode, undefined, err);
    }
    case 'ERR_RTM_RELEASED':
      return new RtmReleasedError(operation);
    default: {
      const msg = typeof e.message === 'string' ? e.message : String(err);
      return localError(operation, LocalErrCode.NATIVE, `${operation}() failed in the native addon: ${msg}`, err);
    }
  }
}

/**
 * The error for enumerator `key` of `cppEnum` (e.g. 'SIZE_OVERFLOW'), raised by this package
 * before any native call where the SDK has a code for the cause: the same class and code the SDK's
 * answer would give. Falls back on invalidArgument when the enum has no such member.
 */
export function sdkCodeError(operation: string, cppEnum: CppEnumName, key: string, detail: string): RtmError {
  const code = codeOf(cppEnum, key);
  if (code === undefined) return invalidArgument(operation, cppEnum, detail);
  return errorFor(operation, cppEnum, code, detail);
}
