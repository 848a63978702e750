// Channel attributes and member counts: the shapes users pass and receive (Web SDK 1.x), the
// checks done before those calls cross into native code, and the conversion of their results.
// Also the channel-id rule shared with RtmClient.createChannel. Pure: loads no native code.
import { invalidArgument, sdkCodeError } from './errors';
import type { NativeChannelAttribute } from './native';
import { checkArrayItems, checkId, checkOptionalBoolean, checkOptions, type CheckContext } from './validate';

/**
 * Channel ids: at most 64 bytes (the header says "less than 64 bytes"; rtm-abi.md §9.2 leaves ≤ vs
 * < open, and user ids allow 64, so 64 is accepted), not empty, not "null", of the id alphabet.
 */
export const MAX_CHANNEL_ID_BYTES = 64;
/** getChannelMemberCount: at most 32 channel ids per call (EXCEED_LIMIT beyond). */
export const MAX_MEMBER_COUNT_CHANNELS = 32;

/** One channel attribute as getChannelAttributes and AttributesUpdated deliver it. */
export interface ChannelAttributeProperties {
  value: string;
  /** The user whose call last set this attribute. */
  lastUpdateUserId: string;
  /** When it was last set, in ms since the epoch. */
  lastUpdateTs: number;
}

/** A channel's attributes by key (getChannelAttributes, getChannelAttributesByKeys, AttributesUpdated). */
export type ChannelAttributes = Record<string, ChannelAttributeProperties>;

/** ChannelAttributeOptions of the SDK. */
export interface ChannelAttributeOptions {
  /**
   * When true, every member of the channel receives AttributesUpdated with the channel's full set
   * of attributes after this call (default false; applies to this one call only).
   */
  enableNotificationToChannelMembers?: boolean;
}

/**
 * A channel id: 1–64 bytes of a-z A-Z 0-9, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,
 * and not "null". A wrong JS type throws TypeError; a bad id RtmInvalidArgumentError with the
 * context's INVALID_ARGUMENT code.
 */
export function checkChannelId(value: unknown, ctx: CheckContext, name = 'channelId'): string {
  return checkId(value, ctx, name, MAX_CHANNEL_ID_BYTES);
}

/**
 * ChannelAttributeOptions → the native flag (enableNotificationToChannelMembers, default false).
 * Options must be a plain object (TypeError otherwise); the flag is read once.
 */
export function checkChannelAttributeOptions(value: unknown, ctx: CheckContext, name = 'options'): boolean {
  const opts = checkOptions(value, ctx, name, ['enableNotificationToChannelMembers']);
  return checkOptionalBoolean(
    opts.enableNotificationToChannelMembers,
    ctx,
    `${name}.enableNotificationToChannelMembers`,
    false,
  );
}

/**
 * getChannelMemberCount's ids: an array of at most 32 channel ids (more → the SDK's EXCEED_LIMIT,
 * RtmLimitExceededError, checked before any id is read), each checked as checkChannelId. The
 * array is copied (see checkArrayItems: each id read once; a hole is a TypeError). Duplicates
 * pass: the SDK decides.
 */
export function checkMemberCountChannelIds(value: unknown, ctx: CheckContext, name = 'channelIds'): string[] {
  const overflow = (count: number): Error => {
    const detail = `${name} must hold at most ${MAX_MEMBER_COUNT_CHANNELS} channel ids, got ${count}`;
    return ctx.cppEnum === undefined
      ? invalidArgument(ctx.operation, undefined, detail)
      : sdkCodeError(ctx.operation, ctx.cppEnum, 'EXCEED_LIMIT', `${ctx.operation}(): ${detail}.`);
  };
  return checkArrayItems(value, ctx, name, 'an array of channel ids', MAX_MEMBER_COUNT_CHANNELS, overflow, (v, itemName) =>
    checkChannelId(v, ctx, itemName),
  );
}

/** Sets `out[key] = value` as an own, enumerable property, even for a key such as "__proto__". */
function put<V>(out: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** NativeChannelAttribute[] → { key: { value, lastUpdateUserId, lastUpdateTs } }, in the SDK's order. */
export function toChannelAttributes(list: readonly NativeChannelAttribute[]): ChannelAttributes {
  const out: ChannelAttributes = {};
  for (const [key, value, lastUpdateUserId, lastUpdateTs] of list) put(out, key, { value, lastUpdateUserId, lastUpdateTs });
  return out;
}

/** [channelId, count][] → { channelId: count }. */
export function toMemberCounts(list: readonly (readonly [string, number])[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [channelId, count] of list) put(out, channelId, count);
  return out;
}
