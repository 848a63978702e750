// Argument checks done before any native call (limits: shared/rtm-semantics.md §1).
// A wrong JS type throws TypeError; a value of the right type that the SDK would refuse (or that
// cannot cross into C: a NUL byte) throws RtmInvalidArgumentError with the operation's
// INVALID_ARGUMENT-like code. Pure: loads no native code.
//
// Every check reads each property of an argument ONCE, into a plain copy, and returns that copy:
// callers check and send only the copy, so a getter or Proxy that answers differently on a second
// read cannot pass a check with one value and reach the SDK with another. Arrays: `length` is read
// once and checked against the call's count limit before any item is read, then each index once.
// Maps of values (attributes, options, parameters) must be plain objects (`{…}` or
// Object.create(null)); attribute maps may also be a Map.
import { types } from 'node:util';
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
  if (typeof value === 'object') return describeObject(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  return String(value);
}

/** 'an object' for a plain object, else what it is ('a Set', 'a Date', 'an Attributes'), read without running its code. */
function describeObject(value: object): string {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return 'an object';
    const ctor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    const ctorName: unknown = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
    if (typeof ctorName === 'string' && /^[A-Za-z_$][\w$]*$/.test(ctorName)) {
      if (ctorName === 'Map' && !types.isMap(value)) return 'an imitation of a Map (a Proxy, or an object made from Map.prototype)';
      return `${/^[AEIO]/.test(ctorName) ? 'an' : 'a'} ${ctorName}`;
    }
    return 'an object whose prototype is not Object.prototype';
  } catch {
    return 'an object'; // a Proxy whose trap threw
  }
}

/**
 * Whether `value` is a plain object: an object literal or Object.create(null). Arrays, Maps, Sets,
 * Dates, boxed primitives (new String('x')), class instances and objects made with another
 * prototype are not.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets `out[key] = value` as an own, enumerable property, even for a key such as "__proto__". */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * The own enumerable string keys of `value` (Object.keys' order), read without running getters.
 * Stops once more than `max` are found and returns them so far (the caller then refuses the
 * argument), so a Proxy listing a million keys costs no more than `max` + 1 descriptor reads.
 */
function ownKeys(value: object, max = Infinity): string[] {
  const keys: string[] = [];
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string') continue;
    if (!Object.prototype.propertyIsEnumerable.call(value, key)) continue;
    keys.push(key);
    if (keys.length > max) break;
  }
  return keys;
}

/**
 * The most items of an array argument whose call has no documented count limit
 * (unsubscribePeersOnlineStatus, and the key lists of getUserAttributesByKeys,
 * deleteLocalUserAttributesByKeys, getChannelAttributesByKeys, deleteChannelAttributesByKeys):
 * 4 096. That is far above any real use — a client can subscribe to at most 512 peers, and a user
 * or a channel holds at most 32 attributes (rtm-semantics §1.2, §1.3) — and bounds the work one
 * call can make this package do. More → RtmInvalidArgumentError (the call's INVALID_ARGUMENT).
 */
export const MAX_ARRAY_ITEMS = 4096;

/**
 * Copies array argument `value` into a new, dense array of checked items. `length` is read once
 * and, before any item is read, checked against `maxCount` (more → `overflow(length)`), so a
 * sparse array or a Proxy claiming 1e8 items is refused at once. Then each index from 0 to
 * length - 1 is read once, in order, and handed to `check` with its name (`name[i]`). An empty
 * slot (a hole: `[, 'a']`, `new Array(3)`) throws TypeError, as an item of a wrong JS type does.
 * Callers use only the returned copy.
 */
export function checkArrayItems<T>(
  value: unknown,
  ctx: CheckContext,
  name: string,
  expected: string,
  maxCount: number,
  overflow: (count: number) => Error,
  check: (item: unknown, itemName: string) => T,
): T[] {
  if (!Array.isArray(value)) throw typeError(ctx, name, expected, value);
  const length: unknown = (value as { length?: unknown }).length;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    // Only a Proxy can answer `length` so.
    throw new TypeError(`${ctx.operation}(): ${name} must be ${expected}, got an array whose length is ${describe(length)}`);
  }
  if (length > maxCount) throw overflow(length);
  const out: T[] = [];
  for (let i = 0; i < length; i += 1) {
    const item: unknown = (value as unknown[])[i];
    if (item === undefined && !Object.prototype.hasOwnProperty.call(value, i)) {
      throw new TypeError(
        `${ctx.operation}(): ${name}[${i}] is an empty slot (${name} is a sparse array, e.g. [, 'a'] or new Array(n)); pass ${expected} without holes`,
      );
    }
    out.push(check(item, `${name}[${i}]`));
  }
  return out;
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
  // The common case first, and the same id as last time (a peer written to again) without the
  // pattern: the alphabet is ASCII without NUL, so bytes = length and no other check can fail.
  if (typeof value === 'string') {
    if (value === lastValidId && maxBytes >= lastValidId.length) return value;
    if (value.length > 0 && value.length <= maxBytes && value !== 'null' && ID_CHARSET.test(value)) {
      lastValidId = value;
      return value;
    }
  }
  return checkIdSlowly(value, ctx, name, maxBytes, key);
}

/** The last id that passed checkId (the one-entry cache of its fast path). */
let lastValidId = '\0';

function checkIdSlowly(value: unknown, ctx: CheckContext, name: string, maxBytes: number, key: string): string {
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
 * An options object: undefined → {}; anything but a plain object (see isPlainObject) → TypeError;
 * a key not in `allowed` → RtmInvalidArgumentError (catches typos such as `sdkpath`). Returns a
 * plain copy of the options given (each own enumerable property read once): use only the copy.
 */
export function checkOptions(
  value: unknown,
  ctx: CheckContext,
  name: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw typeError(ctx, name, 'a plain object', value);
  const keys = ownKeys(value, allowed.length);
  for (const key of keys) {
    if (!allowed.includes(key)) {
      const known = allowed.filter((k) => !k.startsWith('_'));
      throw invalidArgument(
        ctx.operation,
        ctx.cppEnum,
        `unknown ${name} key ${JSON.stringify(key)}; known keys: ${known.join(', ')}`,
      );
    }
  }
  // No prototype: a key the caller did not give reads as undefined, even if Object.prototype was polluted.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of keys) put(copy, key, value[key]);
  return copy;
}

export interface CountLimits {
  minCount?: number;
  maxCount?: number;
}

/**
 * An array whose length is within limits (maxCount default MAX_ARRAY_ITEMS), copied (see
 * checkArrayItems: no holes, each item read once), each item checked by `check` when given.
 * `key` names the enumerator of a too-long array.
 */
export function checkArray<T = unknown>(
  value: unknown,
  ctx: CheckContext,
  name: string,
  limits: CountLimits = {},
  key = 'INVALID_ARGUMENT',
  check: (item: unknown, itemName: string) => T = (item) => item as T,
): T[] {
  const max = limits.maxCount ?? MAX_ARRAY_ITEMS;
  const items = checkArrayItems(
    value,
    ctx,
    name,
    'an array',
    max,
    (count) => invalidArgument(ctx.operation, ctx.cppEnum, `${name} must hold at most ${max} items, got ${count}`, key),
    check,
  );
  const min = limits.minCount ?? 0;
  if (items.length < min) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      min === 1 ? `${name} must not be empty` : `${name} must hold at least ${min} items, got ${items.length}`,
    );
  }
  return items;
}

/** An array of ids (see checkId), each distinct; limits as checkArray. */
export function checkIdArray(
  value: unknown,
  ctx: CheckContext,
  name: string,
  maxBytes: number,
  limits: CountLimits = {},
): string[] {
  const ids = checkArray(value, ctx, name, limits, 'INVALID_ARGUMENT', (v, itemName) => checkId(v, ctx, itemName, maxBytes));
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
  } else if (isPlainObject(value)) {
    // JSON.stringify reads each property once; only its text is used.
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} cannot be turned into JSON: ${(err as Error).message}`);
    }
    if (typeof text !== 'string' || !text.startsWith('{')) {
      throw invalidArgument(ctx.operation, ctx.cppEnum, `${name} must turn into a JSON object, got ${describe(text)} (a toJSON method?)`);
    }
    json = text;
  } else {
    throw typeError(ctx, name, 'a plain object or a JSON string', value);
  }
  return json;
}

/**
 * An array of user ids (peer ids) of at most `maxCount` items (default MAX_ARRAY_ITEMS, for calls
 * the SDK sets no count for), each checked as checkUserId with `idKey`; the array is copied (see
 * checkArrayItems: the count is checked first, a hole is a TypeError). More than `maxCount` items
 * throws the enum's `overflowKey` error (INVALID_ARGUMENT → RtmInvalidArgumentError; OVERFLOW →
 * RtmLimitExceededError). Duplicates pass: the SDK decides about them.
 */
export function checkUserIdArray(
  value: unknown,
  ctx: CheckContext,
  name: string,
  options: { maxCount?: number; overflowKey?: string; idKey?: string } = {},
): string[] {
  const max = options.maxCount ?? MAX_ARRAY_ITEMS;
  const overflow = (count: number): Error => {
    const detail = `${ctx.operation}(): ${name} must hold at most ${max} user ids, got ${count}.`;
    const key = options.overflowKey ?? 'INVALID_ARGUMENT';
    return key === 'INVALID_ARGUMENT' || ctx.cppEnum === undefined
      ? invalidArgument(ctx.operation, ctx.cppEnum, `${name} must hold at most ${max} user ids, got ${count}`)
      : sdkCodeError(ctx.operation, ctx.cppEnum, key, detail);
  };
  const idKey = options.idKey ?? 'INVALID_ARGUMENT';
  return checkArrayItems(value, ctx, name, 'an array of user ids', max, overflow, (v, itemName) =>
    checkUserId(v, ctx, itemName, idKey),
  );
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

/**
 * An array of attribute keys (see checkAttributeKey), copied (see checkArrayItems). At most
 * MAX_ARRAY_ITEMS keys: the SDK documents no count for key lists (a user or channel holds at most
 * 32 attributes), so more → RtmInvalidArgumentError (INVALID_ARGUMENT). Duplicates pass: the SDK
 * decides about them.
 */
export function checkAttributeKeys(value: unknown, ctx: CheckContext, name = 'keys'): string[] {
  return checkArrayItems(
    value,
    ctx,
    name,
    'an array of attribute keys',
    MAX_ARRAY_ITEMS,
    (count) => invalidArgument(ctx.operation, ctx.cppEnum, `${name} must hold at most ${MAX_ARRAY_ITEMS} keys, got ${count}`),
    (k, itemName) => checkAttributeKey(k, ctx, itemName),
  );
}

// Map's own slots, read through the built-in accessors: a Map's own (or a subclass's) size,
// forEach or entries cannot change what is read.
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get as (this: Map<unknown, unknown>) => number;
const mapForEach = Map.prototype.forEach;

/**
 * Attributes to write: a plain object (`{…}` or Object.create(null); see isPlainObject) or a Map,
 * of key → value. Anything else — an array, a Set, a Date, a boxed String, a class instance — is
 * a TypeError. Keys as checkAttributeKey; values non-empty strings without NUL (INVALID_ARGUMENT);
 * a value over 8 192 bytes or more than 32 attributes → SIZE_OVERFLOW (RtmLimitExceededError), as
 * the SDK reports them. The count is checked before any value is read, then each value is read
 * once; the [key, value] pairs returned are the copy to send. The total size per user / channel is
 * left to the SDK (it depends on what is already stored).
 */
export function checkAttributeMap(value: unknown, ctx: CheckContext, name = 'attributes'): [string, string][] {
  const overflow = (detail: string): Error =>
    ctx.cppEnum === undefined
      ? invalidArgument(ctx.operation, undefined, detail)
      : sdkCodeError(ctx.operation, ctx.cppEnum, 'SIZE_OVERFLOW', `${ctx.operation}(): ${detail}.`);
  const tooMany = (count: number | string): Error =>
    overflow(`${name} must hold at most ${MAX_ATTRIBUTES_PER_CALL} attributes, got ${count}`);
  const entries: [unknown, unknown][] = [];
  if (types.isMap(value)) {
    const map = value as Map<unknown, unknown>;
    const size = mapSize.call(map);
    if (size > MAX_ATTRIBUTES_PER_CALL) throw tooMany(size);
    mapForEach.call(map, (v: unknown, k: unknown) => {
      entries.push([k, v]);
    });
  } else if (isPlainObject(value)) {
    const keys = ownKeys(value, MAX_ATTRIBUTES_PER_CALL);
    if (keys.length > MAX_ATTRIBUTES_PER_CALL) {
      throw tooMany(types.isProxy(value) ? `more than ${MAX_ATTRIBUTES_PER_CALL}` : Object.keys(value).length);
    }
    for (const key of keys) entries.push([key, value[key]]);
  } else {
    throw typeError(ctx, name, 'a plain object (or a Map) of key → value strings', value);
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
