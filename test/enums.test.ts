// Every TS enum value against the C++ headers (parsed here, so drift is caught). Pure: no addon.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CPP_ENUMS,
  codeKey,
  codeName,
  codeOf,
  fromLogFilter,
  fromPeerSubscriptionOption,
  toConnectionChangeReason,
  toConnectionState,
  toLocalInvitationFailureReason,
  toLocalInvitationState,
  toMessageType,
  toPeerOnlineState,
  toRemoteInvitationFailureReason,
  toRemoteInvitationState,
  type CppEnumName,
} from '../lib/codes';
import * as enums from '../lib/enums';
import { API_NUMERIC_ENUMS, API_STRING_ENUMS } from './helpers/api-enums';

/** enum NAME { A = 1, B = 0x0f, … } of include/rtm/*.h, by enum name. */
function parseHeaders(): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const file of ['rtm_service.h', 'rtm_call_manager.h']) {
    const text = readFileSync(join(__dirname, '..', 'include', 'rtm', file), 'utf8').replace(/\/\/[^\n]*/g, '');
    for (const m of text.matchAll(/\benum\s+(\w+)\s*(?::\s*\w+\s*)?\{([^}]*)\}/g)) {
      const members = new Map<string, number>();
      for (const e of m[2]!.matchAll(/(\w+)\s*=\s*(0x[0-9a-fA-F]+|-?\d+)/g)) {
        members.set(e[1]!, Number(e[2]!));
      }
      out.set(m[1]!, members);
    }
  }
  return out;
}

const headers = parseHeaders();
/** Header enumerators that have no TS member, on purpose. */
const RESERVED = new Set(['LOG_FILTER_MASK']);

const enumObjects = enums as unknown as Record<string, Record<string, string | number>>;

describe('the headers parse', () => {
  it('finds the enums', () => {
    expect(headers.size).toBeGreaterThanOrEqual(25);
    expect(headers.get('LOGIN_ERR_CODE')?.get('LOGIN_ERR_TIMEOUT')).toBe(9);
    expect(headers.get('LOG_FILTER_TYPE')?.get('LOG_FILTER_WARN')).toBe(0x0e);
  });
});

describe('code table ↔ headers', () => {
  it('covers every C++ enum of the headers, and nothing else', () => {
    expect(Object.keys(CPP_ENUMS).sort()).toEqual([...headers.keys()].sort());
  });

  for (const [name, table] of Object.entries(CPP_ENUMS)) {
    it(`${name}: every entry is a header enumerator with the same value`, () => {
      const header = headers.get(name);
      expect(header, `${name} missing from the headers`).toBeDefined();
      for (const entry of table.entries) {
        expect(header!.get(entry.codeName), `${entry.codeName}`).toBe(entry.value);
      }
    });

    it(`${name}: every header enumerator has an entry (except reserved ones)`, () => {
      const inTable = new Set(table.entries.map((e) => e.codeName));
      for (const [enumerator, value] of headers.get(name)!) {
        if (RESERVED.has(enumerator)) continue;
        expect(inTable.has(enumerator), `${enumerator} = ${value} has no TS member`).toBe(true);
        expect(codeName(name as CppEnumName, value)).toBe(enumerator);
      }
    });
  }
});

describe('numeric enums (error codes)', () => {
  it('are all exported, with the C++ values', () => {
    for (const tsName of API_NUMERIC_ENUMS) {
      const table = Object.values(CPP_ENUMS).find((t) => t.tsName === tsName);
      expect(table, tsName).toBeDefined();
      const e = enumObjects[tsName]!;
      expect(e, tsName).toBeDefined();
      const members = Object.entries(e).filter(([, v]) => typeof v === 'number');
      expect(members.length).toBe(table!.entries.length);
      for (const [key, value] of members) {
        const header = headers.get(table!.name)!;
        const cppName = table!.entries.find((x) => x.key === key)!.codeName;
        expect(header.get(cppName), `${tsName}.${key}`).toBe(value);
        // names are the C++ names without the prefix (one documented exception)
        expect(cppName.endsWith(`_${key}`), `${cppName} vs ${key}`).toBe(true);
      }
    }
  });

  it('match the examples of api.md', () => {
    expect(enums.LoginErrCode.TIMEOUT).toBe(9);
    expect(enums.JoinChannelErrCode.TIMEOUT).toBe(4);
    expect(codeName('JOIN_CHANNEL_ERR', 4)).toBe('JOIN_CHANNEL_TIMEOUT');
    expect(enums.LoginErrCode.NOT_INITIALIZED).toBe(101);
    expect(enums.LogoutErrCode.USER_NOT_LOGGED_IN).toBe(102);
    expect(enums.AttributeOperationErrCode.TIMEOUT).toBe(7);
    expect(enums.InitErrCode.INVALID_APP_ID).toBe(3);
  });
});

describe('string enums (states and reasons)', () => {
  it('are all exported, each value equal to its name', () => {
    for (const tsName of API_STRING_ENUMS) {
      const e = enumObjects[tsName]!;
      expect(e, tsName).toBeDefined();
      expect(Object.keys(e).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(e)) expect(value).toBe(key);
    }
  });

  it('map from their C++ values', () => {
    expect(toConnectionState(1)).toBe(enums.ConnectionState.DISCONNECTED);
    expect(toConnectionState(5)).toBe(enums.ConnectionState.ABORTED);
    expect(toConnectionChangeReason(8)).toBe(enums.ConnectionChangeReason.REMOTE_LOGIN);
    expect(toPeerOnlineState(1)).toBe(enums.PeerOnlineState.UNREACHABLE);
    expect(toMessageType(2)).toBe(enums.MessageType.RAW);
    expect(toLocalInvitationState(3)).toBe(enums.LocalInvitationState.ACCEPTED_BY_REMOTE);
    expect(toRemoteInvitationState(2)).toBe(enums.RemoteInvitationState.ACCEPT_SENT_TO_LOCAL);
    expect(toLocalInvitationFailureReason(4)).toBe(enums.LocalInvitationFailureReason.NOT_LOGGEDIN);
    expect(toRemoteInvitationFailureReason(2)).toBe(enums.RemoteInvitationFailureReason.ACCEPT_FAILURE);
    expect(fromPeerSubscriptionOption(enums.PeerSubscriptionOption.ONLINE_STATUS)).toBe(0);
  });

  it('LogFilter maps to the bit masks 0, 8, 12, 14, 15', () => {
    expect(fromLogFilter(enums.LogFilter.OFF)).toBe(0);
    expect(fromLogFilter(enums.LogFilter.CRITICAL)).toBe(8);
    expect(fromLogFilter(enums.LogFilter.ERROR)).toBe(12);
    expect(fromLogFilter(enums.LogFilter.WARNING)).toBe(14);
    expect(fromLogFilter(enums.LogFilter.INFO)).toBe(15);
    expect(codeName('LOG_FILTER_TYPE', 14)).toBe('LOG_FILTER_WARN');
  });

  it('every failure reason is a member of the matching error-code enum', () => {
    for (const key of Object.keys(enums.LocalInvitationFailureReason)) {
      expect(codeOf('LOCAL_INVITATION_ERR_CODE', key), key).toBeDefined();
    }
    for (const key of Object.keys(enums.RemoteInvitationFailureReason)) {
      expect(codeOf('REMOTE_INVITATION_ERR_CODE', key), key).toBeDefined();
    }
  });
});

describe('values this package does not know (a newer SDK)', () => {
  it('reach the user as their number', () => {
    expect(toConnectionState(9)).toBe(9);
    expect(toConnectionChangeReason(9)).toBe(9); // TOKEN_EXPIRED of SDK 1.5
    expect(toPeerOnlineState(42)).toBe(42);
    expect(toLocalInvitationFailureReason(0)).toBe(0); // OK is no failure reason
    expect(toRemoteInvitationFailureReason(77)).toBe(77);
  });

  it('get a clear codeName', () => {
    expect(codeName('LOGIN_ERR_CODE', 42)).toBe('LOGIN_ERR_CODE(42)');
    expect(codeKey('LOGIN_ERR_CODE', 42)).toBeUndefined();
  });
});
