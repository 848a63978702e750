// Argument checks done before any native call (limits: shared/rtm-semantics.md §1).
// A wrong JS type throws TypeError; a value of the right type that the SDK would refuse (or that
// cannot cross into C: a NUL byte) throws RtmInvalidArgumentError with the operation's
// INVALID_ARGUMENT-like code. Pure: loads no native code.
import type { CppEnumName } from './codes';
import { invalidArgument, sdkCodeError } from './errors';

/** Which call is checking, and the C++ enum whose INVALID_ARGUMENT-like code its errors carry. */
export interface CheckContext {
  operation: string;
  cppEnum?: CppEnumName;
}

/** User ids: at most 64 bytes (UTF-8). */
export const MAX_USER_ID_BYTES = 64;
/** a-z A-Z 0-9 space ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , */
const ID_CHARSET = /^[a-zA-Z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]*$/;
const ID_CHARSET_TEXT = 'a-z A-Z 0-9, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,';

/** Bytes of `s` in UTF-8. */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A short, printable rendering of a value for messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  return String(value);
}

function typeError(ctx: CheckContext, name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${ctx.operation}(): ${name} must be ${expected}, got ${describe(value)}`);
}

/** A string without NUL bytes. */
export function checkString(value: unknown, ctx: CheckContext, name: string): string {
  if (typeof value !== 'string') throw typeError(ctx, name, 'a string', value);
  if (value.includes('\0')) throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must not contain NUL bytes`);
  return value;
}

export interface ByteLimits {
  /** Minimum UTF-8 length in bytes (default 0). */
  minBytes?: number;
  /** Maximum UTF-8 length in bytes. */
  maxBytes?: number;
}

/** A string without NUL bytes whose UTF-8 length is within limits. */
export function checkSizedString(value: unknown, ctx: CheckContext, name: string, limits: ByteLimits): string {
  const s = checkString(value, ctx, name);
  const bytes = utf8Bytes(s);
  const min = limits.minBytes ?? 0;
  if (bytes < min) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      min === 1 ? `${name} must not be empty` : `${name} must be at least ${min} bytes (UTF-8), got ${bytes}`,
    );
  }
  if (limits.maxBytes !== undefined && bytes > limits.maxBytes) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      `${name} must be at most ${limits.maxBytes} bytes (UTF-8), got ${bytes}`,
    );
  }
  return s;
}

/**
 * An id of the SDK's id alphabet: 1..maxBytes bytes, not "null", only a-z A-Z 0-9 space
 * ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,
 * `key` names the enumerator the error carries (e.g. 'INVALID_USERID' for peer messages).
 */
export function checkId(
  value: unknown,
  ctx: CheckContext,
  name: string,
  maxBytes: number,
  key = 'INVALID_ARGUMENT',
): string {
  if (typeof value !== 'string') throw typeError(ctx, name, 'a string', value);
  const fail = (why: string): never => {
    throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} ${why} (got ${describe(value)})`, key);
  };
  if (value.includes('\0')) fail('must not contain NUL bytes');
  if (value.length === 0) fail('must not be empty');
  if (value === 'null') fail('must not be the string "null"');
  if (!ID_CHARSET.test(value)) fail(`may contain only ${ID_CHARSET_TEXT}`);
  const bytes = utf8Bytes(value);
  if (bytes > maxBytes) fail(`must be at most ${maxBytes} bytes, got ${bytes}`);
  return value;
}

/** A user id (login uid, peer ids): 1..64 bytes of the id alphabet, not "null". */
export function checkUserId(value: unknown, ctx: CheckContext, name = 'uid', key = 'INVALID_ARGUMENT'): string {
  return checkId(value, ctx, name, MAX_USER_ID_BYTES, key);
}

/** A token: string (no NUL bytes), or null/undefined for projects without an App Certificate → null. */
export function checkToken(value: unknown, ctx: CheckContext, name = 'token'): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw typeError(ctx, name, 'a string, null or undefined', value);
  return checkString(value, ctx, name);
}

/** The App ID: a string without NUL bytes (its length is the SDK's check: INIT_ERR_INVALID_APP_ID). */
export function checkAppId(value: unknown, ctx: CheckContext = { operation: 'createInstance', cppEnum: 'INIT_ERR_CODE' }): string {
  return checkString(value, ctx, 'appId');
}

/**
 * An options object: undefined → {}; anything but a plain object → TypeError; a key not in
 * `allowed` → RtmInvalidArgumentError (catches typos such as `sdkpath`).
 */
export function checkOptions(
  value: unknown,
  ctx: CheckContext,
  name: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw typeError(ctx, name, 'an object', value);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const known = allowed.filter((k) => !k.startsWith('_'));
      throw invalidArgument(
        ctx.operation,
        ctx.cppEnum,
        `unknown ${name} key ${JSON.stringify(key)}; known keys: ${known.join(', ')}`,
      );
    }
  }
  return value as Record<string, unknown>;
}

export interface CountLimits {
  minCount?: number;
  maxCount?: number;
}

/** An array whose length is within limits. `key` names the enumerator of a too-long array. */
export function checkArray(
  value: unknown,
  ctx: CheckContext,
  name: string,
  limits: CountLimits = {},
  key = 'INVALID_ARGUMENT',
): unknown[] {
  if (!Array.isArray(value)) throw typeError(ctx, name, 'an array', value);
  const min = limits.minCount ?? 0;
  if (value.length < min) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      min === 1 ? `${name} must not be empty` : `${name} must hold at least ${min} items, got ${value.length}`,
    );
  }
  if (limits.maxCount !== undefined && value.length > limits.maxCount) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      `${name} must hold at most ${limits.maxCount} items, got ${value.length}`,
      key,
    );
  }
  return value;
}

/** An array of ids (see checkId), each distinct. */
export function checkIdArray(
  value: unknown,
  ctx: CheckContext,
  name: string,
  maxBytes: number,
  limits: CountLimits = {},
): string[] {
  const arr = checkArray(value, ctx, name, limits);
  const ids = arr.map((v, i) => checkId(v, ctx, `${name}[${i}]`, maxBytes));
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} holds ${describe(id)} twice`);
    seen.add(id);
  }
  return ids;
}

export interface IntegerLimits {
  min?: number;
  max?: number;
}

/** An integer (a JS number) within limits; the default range is the C int's. */
export function checkInteger(value: unknown, ctx: CheckContext, name: string, limits: IntegerLimits = {}): number {
  if (typeof value !== 'number') throw typeError(ctx, name, 'a number', value);
  const min = limits.min ?? -2147483648;
  const max = limits.max ?? 2147483647;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** A boolean, or undefined → `fallback`. */
export function checkOptionalBoolean(value: unknown, ctx: CheckContext, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(ctx, name, 'a boolean', value);
  return value;
}

/** A member of a string enum. */
export function checkEnumMember<E extends string>(
  value: unknown,
  members: Record<string, E>,
  ctx: CheckContext,
  name: string,
  enumName: string,
): E {
  if (typeof value !== 'string') throw typeError(ctx, name, `a ${enumName} (string)`, value);
  const all = Object.values(members);
  if (!(all as string[]).includes(value)) {
    throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must be one of ${enumName}: ${all.join(', ')}; got ${describe(value)}`);
  }
  return value as E;
}

/**
 * Parameters for setParameters: an object (→ JSON) or a JSON string of an object. Returns the
 * JSON text passed to the SDK.
 */
export function checkParameters(value: unknown, ctx: CheckContext, name = 'parameters'): string {
  let json: string;
  if (typeof value === 'string') {
    json = checkString(value, ctx, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must be an object or a JSON string of an object; got invalid JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must be a JSON object, got ${describe(json)}`);
    }
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    try {
      json = JSON.stringify(value);
    } catch (err) {
      throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} cannot be turned into JSON: ${(err as Error).message}`);
    }
  } else {
    throw typeError(ctx, name, 'an object or a JSON string', value);
  }
  return json;
}

/**
 * An array of user ids (peer ids) of at most `maxCount` items (when given), each checked as
 * checkUserId with `idKey`. More than `maxCount` items throws the enum's `overflowKey` error
 * (INVALID_ARGUMENT → RtmInvalidArgumentError; OVERFLOW → RtmLimitExceededError). Duplicates
 * pass: the SDK decides about them.
 */
export function checkUserIdArray(
  value: unknown,
  ctx: CheckContext,
  name: string,
  options: { maxCount?: number; overflowKey?: string; idKey?: string } = {},
): string[] {
  if (!Array.isArray(value)) throw typeError(ctx, name, 'an array of user ids', value);
  const max = options.maxCount;
  if (max !== undefined && value.length > max) {
    const detail = `${ctx.operation}(): ${name} must hold at most ${max} user ids, got ${value.length}.`;
    const key = options.overflowKey ?? 'INVALID_ARGUMENT';
    throw key === 'INVALID_ARGUMENT' || ctx.cppEnum === undefined
      ? invalidArgument(ctx.operation, ctx.cppEnum, `${name} must hold at most ${max} user ids, got ${value.length}`)
      : sdkCodeError(ctx.operation, ctx.cppEnum, key, detail);
  }
  return value.map((v, i) => checkUserId(v, ctx, `${name}[${i}]`, options.idKey ?? 'INVALID_ARGUMENT'));
}

/** Attribute keys: 1..32 bytes of printable ASCII (0x20–0x7E): the real SDK accepts a space (rtm-abi.md §8.2). */
export const MAX_ATTRIBUTE_KEY_BYTES = 32;
/** Attribute values: 1..8 192 bytes (UTF-8). */
export const MAX_ATTRIBUTE_VALUE_BYTES = 8 * 1024;
/** Attributes per call (and per user / per channel). */
export const MAX_ATTRIBUTES_PER_CALL = 32;
const ATTRIBUTE_KEY = /^[\x20-\x7e]+$/;

/**
 * An attribute key: 1–32 printable ASCII characters, space included (INVALID_ARGUMENT otherwise).
 * The docs say "visible characters"; the v1.2.2 SDK itself checks only the length locally (it takes
 * a space or a tab), and a space is what real keys use, so a space passes and control characters
 * and non-ASCII, whose fate at the service cannot be observed offline, do not.
 */
export function checkAttributeKey(value: unknown, ctx: CheckContext, name: string): string {
  if (typeof value !== 'string') throw typeError(ctx, name, 'a string', value);
  if (value.length === 0) throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must not be empty`);
  if (!ATTRIBUTE_KEY.test(value)) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      `${name} may contain only printable ASCII characters (0x20–0x7E), got ${describe(value)}`,
    );
  }
  if (value.length > MAX_ATTRIBUTE_KEY_BYTES) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      `${name} must be at most ${MAX_ATTRIBUTE_KEY_BYTES} bytes, got ${value.length} (${describe(value)})`,
    );
  }
  return value;
}

/** An array of attribute keys (see checkAttributeKey). Duplicates pass: the SDK decides about them. */
export function checkAttributeKeys(value: unknown, ctx: CheckContext, name = 'keys'): string[] {
  if (!Array.isArray(value)) throw typeError(ctx, name, 'an array of attribute keys', value);
  return value.map((k, i) => checkAttributeKey(k, ctx, `${name}[${i}]`));
}

/**
 * Attributes to write: a plain object (or a Map) of key → value. Keys as checkAttributeKey; values
 * non-empty strings without NUL (INVALID_ARGUMENT); a value over 8 192 bytes or more than 32
 * attributes → SIZE_OVERFLOW (RtmLimitExceededError), as the SDK reports them. The total size per
 * user / channel is left to the SDK (it depends on what is already stored).
 */
export function checkAttributeMap(value: unknown, ctx: CheckContext, name = 'attributes'): [string, string][] {
  let entries: [unknown, unknown][];
  if (value instanceof Map) entries = [...(value as Map<unknown, unknown>).entries()];
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) entries = Object.entries(value);
  else throw typeError(ctx, name, 'an object of key → value strings', value);
  const overflow = (detail: string): Error =>
    ctx.cppEnum === undefined
      ? invalidArgument(ctx.operation, undefined, detail)
      : sdkCodeError(ctx.operation, ctx.cppEnum, 'SIZE_OVERFLOW', `${ctx.operation}(): ${detail}.`);
  if (entries.length > MAX_ATTRIBUTES_PER_CALL) {
    throw overflow(`${name} must hold at most ${MAX_ATTRIBUTES_PER_CALL} attributes, got ${entries.length}`);
  }
  return entries.map(([k, v]) => {
    const key = checkAttributeKey(k, ctx, `${name} key`);
    const vname = `${name}[${JSON.stringify(key)}]`;
    const val = checkSizedString(v, ctx, vname, { minBytes: 1 });
    const bytes = utf8Bytes(val);
    if (bytes > MAX_ATTRIBUTE_VALUE_BYTES) throw overflow(`${vname} must be at most ${MAX_ATTRIBUTE_VALUE_BYTES} bytes (UTF-8), got ${bytes}`);
    return [key, val];
  });
}
