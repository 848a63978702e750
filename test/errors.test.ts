// The error classes and the factory. Pure: no addon.
import { describe, expect, it } from 'vitest';
import type { CppEnumName } from '../lib/codes';
import { AttributeOperationErrCode, InitErrCode, JoinChannelErrCode, LoginErrCode, LogoutErrCode } from '../lib/enums';
import {
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
  errorFor,
  fromNativeError,
  invalidArgument,
  timeoutError,
} from '../lib/errors';

type Cls = abstract new (...args: never[]) => RtmError;

const CASES: [CppEnumName, number, Cls, string][] = [
  ['LOGIN_ERR_CODE', 9, RtmTimeoutError, 'LOGIN_ERR_TIMEOUT'],
  ['JOIN_CHANNEL_ERR', 4, RtmTimeoutError, 'JOIN_CHANNEL_TIMEOUT'],
  ['PEER_MESSAGE_ERR_CODE', 2, RtmTimeoutError, 'PEER_MESSAGE_ERR_SENT_TIMEOUT'],
  ['ATTRIBUTE_OPERATION_ERR', 7, RtmTimeoutError, 'ATTRIBUTE_OPERATION_ERR_TIMEOUT'],
  ['LOGIN_ERR_CODE', 3, RtmInvalidArgumentError, 'LOGIN_ERR_INVALID_ARGUMENT'],
  ['LOGIN_ERR_CODE', 4, RtmInvalidArgumentError, 'LOGIN_ERR_INVALID_APP_ID'],
  ['PEER_MESSAGE_ERR_CODE', 6, RtmInvalidArgumentError, 'PEER_MESSAGE_ERR_INVALID_USERID'],
  ['PEER_MESSAGE_ERR_CODE', 7, RtmInvalidArgumentError, 'PEER_MESSAGE_ERR_INVALID_MESSAGE'],
  ['INIT_ERR_CODE', 3, RtmInvalidArgumentError, 'INIT_ERR_INVALID_APP_ID'],
  ['LOGIN_ERR_CODE', 10, RtmInvokeTooOftenError, 'LOGIN_ERR_TOO_OFTEN'],
  ['JOIN_CHANNEL_ERR', 8, RtmInvokeTooOftenError, 'JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN'],
  ['LOGIN_ERR_CODE', 101, RtmInvalidStatusError, 'LOGIN_ERR_NOT_INITIALIZED'],
  ['LOGIN_ERR_CODE', 8, RtmInvalidStatusError, 'LOGIN_ERR_ALREADY_LOGGED_IN'],
  ['LOGOUT_ERR_CODE', 102, RtmInvalidStatusError, 'LOGOUT_ERR_USER_NOT_LOGGED_IN'],
  ['LEAVE_CHANNEL_ERR', 3, RtmInvalidStatusError, 'LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL'],
  ['JOIN_CHANNEL_ERR', 6, RtmInvalidStatusError, 'JOIN_CHANNEL_ERR_ALREADY_JOINED'],
  ['JOIN_CHANNEL_ERR', 5, RtmLimitExceededError, 'JOIN_CHANNEL_ERR_EXCEED_LIMIT'],
  ['PEER_SUBSCRIPTION_STATUS_ERR', 6, RtmLimitExceededError, 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW'],
  ['ATTRIBUTE_OPERATION_ERR', 4, RtmLimitExceededError, 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW'],
  ['LOGIN_ERR_CODE', 5, RtmUnauthenticatedError, 'LOGIN_ERR_INVALID_TOKEN'],
  ['LOGIN_ERR_CODE', 6, RtmUnauthenticatedError, 'LOGIN_ERR_TOKEN_EXPIRED'],
  ['LOGIN_ERR_CODE', 7, RtmUnauthenticatedError, 'LOGIN_ERR_NOT_AUTHORIZED'],
  ['RENEW_TOKEN_ERR_CODE', 6, RtmUnauthenticatedError, 'RENEW_TOKEN_ERR_INVALID_TOKEN'],
  ['INVITATION_API_CALL_ERR_CODE', 3, RtmInvitationError, 'INVITATION_API_CALL_ERR_ALREADY_END'],
  ['LOGIN_ERR_CODE', 1, RtmError, 'LOGIN_ERR_UNKNOWN'],
  ['LOGIN_ERR_CODE', 2, RtmError, 'LOGIN_ERR_REJECTED'],
  ['ATTRIBUTE_OPERATION_ERR', 2, RtmError, 'ATTRIBUTE_OPERATION_ERR_FAILURE'],
];

const SUBCLASSES = [
  RtmTimeoutError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
  RtmUnauthenticatedError,
  RtmInvitationError,
];

describe('errorFor', () => {
  for (const [cppEnum, code, cls, name] of CASES) {
    it(`${name} → ${cls.name}`, () => {
      const err = errorFor('someOp', cppEnum, code);
      expect(err).toBeInstanceOf(cls);
      expect(err).toBeInstanceOf(RtmError);
      expect(err).toBeInstanceOf(Error);
      if (cls === RtmError) {
        for (const sub of SUBCLASSES) expect(err).not.toBeInstanceOf(sub);
      }
      expect(err.constructor).toBe(cls);
      expect(err.name).toBe(cls.name);
      expect(err.code).toBe(code);
      expect(err.codeName).toBe(name);
      expect(err.operation).toBe('someOp');
      expect(err.message).toContain('someOp()');
      expect(err.message).toContain(name);
      expect(err.stack).toContain(cls.name);
    });
  }

  it('keeps an unknown code and names it clearly', () => {
    const err = errorFor('login', 'LOGIN_ERR_CODE', 77);
    expect(err.constructor).toBe(RtmError);
    expect(err.code).toBe(77);
    expect(err.codeName).toBe('LOGIN_ERR_CODE(77)');
  });

  it('says what to do', () => {
    expect(errorFor('sendMessage', 'PEER_MESSAGE_ERR_CODE', 102).message).toMatch(/login\(\)/);
    expect(errorFor('login', 'LOGIN_ERR_CODE', 8).message).toMatch(/logout\(\)/);
    expect(errorFor('login', 'LOGIN_ERR_CODE', 5).message).toMatch(/token/i);
    expect(errorFor('login', 'LOGIN_ERR_CODE', 1).message).toMatch(/retry/);
  });

  it('appends a detail and keeps a cause', () => {
    const cause = new Error('inner');
    const err = errorFor('login', 'LOGIN_ERR_CODE', 9, 'More words.', cause);
    expect(err.message).toMatch(/More words\.$/);
    expect(err.cause).toBe(cause);
  });
});

describe('timeoutError (safety timeout)', () => {
  it('uses the TIMEOUT code of the enum', () => {
    const err = timeoutError('login', 'LOGIN_ERR_CODE', 10_000);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.code).toBe(LoginErrCode.TIMEOUT);
    expect(err.codeName).toBe('LOGIN_ERR_TIMEOUT');
    expect(err.message).toContain('10000 ms');
  });

  it('uses SENT_TIMEOUT, else UNKNOWN / FAILURE / REJECTED', () => {
    expect(timeoutError('join', 'JOIN_CHANNEL_ERR', 1).code).toBe(JoinChannelErrCode.TIMEOUT);
    expect(timeoutError('send', 'PEER_MESSAGE_ERR_CODE', 1).codeName).toBe('PEER_MESSAGE_ERR_SENT_TIMEOUT');
    expect(timeoutError('renewToken', 'RENEW_TOKEN_ERR_CODE', 1).codeName).toBe('RENEW_TOKEN_ERR_FAILURE');
    const logout = timeoutError('logout', 'LOGOUT_ERR_CODE', 1);
    expect(logout).toBeInstanceOf(RtmTimeoutError);
    expect(logout.code).toBe(LogoutErrCode.REJECTED);
  });
});

describe('invalidArgument', () => {
  it("carries the operation's INVALID_ARGUMENT code", () => {
    const err = invalidArgument('login', 'LOGIN_ERR_CODE', 'uid must not be empty');
    expect(err).toBeInstanceOf(RtmInvalidArgumentError);
    expect(err.code).toBe(LoginErrCode.INVALID_ARGUMENT);
    expect(err.codeName).toBe('LOGIN_ERR_INVALID_ARGUMENT');
    expect(err.message).toBe('login(): uid must not be empty');
  });

  it('takes another enumerator when asked, and a local code when the enum has none', () => {
    expect(invalidArgument('send', 'PEER_MESSAGE_ERR_CODE', 'x', 'INVALID_USERID').code).toBe(6);
    const none = invalidArgument('logout', 'LOGOUT_ERR_CODE', 'x');
    expect(none.code).toBe(LocalErrCode.INVALID_ARGUMENT);
    expect(none.codeName).toBe('ERR_RTM_INVALID_ARGUMENT');
  });
});

describe('RtmReleasedError', () => {
  it('has a local code and says what to do', () => {
    const err = new RtmReleasedError('login');
    expect(err).toBeInstanceOf(RtmError);
    expect(err.name).toBe('RtmReleasedError');
    expect(err.code).toBe(LocalErrCode.RELEASED);
    expect(err.codeName).toBe('ERR_RTM_RELEASED');
    expect(err.operation).toBe('login');
    expect(err.message).toMatch(/createInstance/);
  });
});

describe('RtmSdkNotFoundError', () => {
  const attempts = [
    { path: '/opt/agora/libagora_rtm_sdk.so', reason: 'cannot open shared object file: No such file or directory' },
    { path: 'libagora_rtm_sdk.so', reason: 'not found in the loader search path' },
  ];

  it('lists every attempt and how to get going', () => {
    const err = new RtmSdkNotFoundError(attempts);
    expect(err).toBeInstanceOf(RtmError);
    expect(err.name).toBe('RtmSdkNotFoundError');
    expect(err.attempts).toEqual(attempts);
    expect(err.code).toBe(LocalErrCode.SDK_NOT_FOUND);
    expect(err.codeName).toBe('ERR_RTM_SDK_NOT_FOUND');
    for (const a of attempts) {
      expect(err.message).toContain(a.path);
      expect(err.message).toContain(a.reason);
    }
    expect(err.message).toContain('AGORA_RTM_SDK_PATH');
    expect(err.message).toContain("backend: 'emulator'");
    expect(err.message).toContain('sdkPath');
  });
});

describe('fromNativeError', () => {
  it('maps ERR_RTM_SDK_NOT_FOUND', () => {
    const native = Object.assign(new Error('no sdk'), {
      code: 'ERR_RTM_SDK_NOT_FOUND',
      attempts: [{ path: '/x.so', reason: 'bad ELF' }],
    });
    const err = fromNativeError(native, 'createInstance');
    expect(err).toBeInstanceOf(RtmSdkNotFoundError);
    expect((err as RtmSdkNotFoundError).attempts).toEqual([{ path: '/x.so', reason: 'bad ELF' }]);
    expect(err.cause).toBe(native);
  });

  it('maps ERR_RTM_INIT to an InitErrCode error of operation initialize', () => {
    const native = Object.assign(new Error('init'), { code: 'ERR_RTM_INIT', initCode: 3 });
    const err = fromNativeError(native, 'createInstance');
    expect(err).toBeInstanceOf(RtmInvalidArgumentError);
    expect(err.code).toBe(InitErrCode.INVALID_APP_ID);
    expect(err.codeName).toBe('INIT_ERR_INVALID_APP_ID');
    expect(err.operation).toBe('initialize');
    expect(fromNativeError(Object.assign(new Error(), { code: 'ERR_RTM_INIT', initCode: 1 }), 'x').constructor).toBe(RtmError);
  });

  it('maps ERR_RTM_RELEASED', () => {
    const err = fromNativeError(Object.assign(new Error('released'), { code: 'ERR_RTM_RELEASED' }), 'logout');
    expect(err).toBeInstanceOf(RtmReleasedError);
    expect(err.operation).toBe('logout');
  });

  it('wraps anything else, keeping it as the cause', () => {
    const native = new TypeError('boom');
    const err = fromNativeError(native, 'login');
    expect(err).toBeInstanceOf(RtmError);
    expect(err.code).toBe(LocalErrCode.NATIVE);
    expect(err.message).toContain('boom');
    expect(err.cause).toBe(native);
    const already = errorFor('login', 'LOGIN_ERR_CODE', 9);
    expect(fromNativeError(already, 'login')).toBe(already);
  });

  it('attributes map cleanly', () => {
    expect(errorFor('x', 'ATTRIBUTE_OPERATION_ERR', AttributeOperationErrCode.USER_NOT_FOUND).codeName).toBe(
      'ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND',
    );
  });
});
