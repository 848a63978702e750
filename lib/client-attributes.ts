// RtmClient's attribute requests: user attributes, channel attributes and channel member counts
// (their checks and native calls), and their results, matched by request id. One module because
// user and channel attributes follow the same rules (same keys, values and result codes).
import {
  checkChannelAttributeOptions,
  checkChannelId,
  checkMemberCountChannelIds,
  toChannelAttributes,
  toMemberCounts,
  type ChannelAttributeOptions,
  type ChannelAttributes,
} from './channel-attributes';
import { settleResult, settleWithCode, toRecord, type RequestContext } from './client-requests';
import { EventKind, type NativeEvent } from './native';
import type { PendingRegistry } from './pending';
import { checkAttributeKeys, checkAttributeMap, checkUserId, type CheckContext } from './validate';

// --- User attributes ------------------------------------------------------------------------

/** RtmClient.setLocalUserAttributes. */
export function setLocalUserAttributes(c: RequestContext, attributes: Record<string, string>): Promise<void> {
  const op = 'setLocalUserAttributes';
  c.assertAlive(op);
  const attrs = checkAttributeMap(attributes, { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' });
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.setLocalUserAttributes(attrs));
}

/** RtmClient.addOrUpdateLocalUserAttributes. */
export function addOrUpdateLocalUserAttributes(c: RequestContext, attributes: Record<string, string>): Promise<void> {
  const op = 'addOrUpdateLocalUserAttributes';
  c.assertAlive(op);
  const attrs = checkAttributeMap(attributes, { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' });
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.addOrUpdateLocalUserAttributes(attrs));
}

/** RtmClient.deleteLocalUserAttributesByKeys. */
export function deleteLocalUserAttributesByKeys(c: RequestContext, keys: string[]): Promise<void> {
  const op = 'deleteLocalUserAttributesByKeys';
  c.assertAlive(op);
  const k = checkAttributeKeys(keys, { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' });
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.deleteLocalUserAttributesByKeys(k));
}

/** RtmClient.clearLocalUserAttributes. */
export function clearLocalUserAttributes(c: RequestContext): Promise<void> {
  const op = 'clearLocalUserAttributes';
  c.assertAlive(op);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.clearLocalUserAttributes());
}

/** RtmClient.getUserAttributes. */
export function getUserAttributes(c: RequestContext, userId: string): Promise<Record<string, string>> {
  const op = 'getUserAttributes';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const uid = checkUserId(userId, ctx, 'userId');
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.getUserAttributes(uid));
}

/** RtmClient.getUserAttributesByKeys. */
export function getUserAttributesByKeys(c: RequestContext, userId: string, keys: string[]): Promise<Record<string, string>> {
  const op = 'getUserAttributesByKeys';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const uid = checkUserId(userId, ctx, 'userId');
  const k = checkAttributeKeys(keys, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.getUserAttributesByKeys(uid, k));
}

// --- Channel attributes and member counts -------------------------------------------------

/** RtmClient.setChannelAttributes. */
export function setChannelAttributes(
  c: RequestContext,
  channelId: string,
  attributes: Record<string, string>,
  options?: ChannelAttributeOptions,
): Promise<void> {
  const op = 'setChannelAttributes';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const id = checkChannelId(channelId, ctx);
  const attrs = checkAttributeMap(attributes, ctx);
  const notify = checkChannelAttributeOptions(options, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.setChannelAttributes(id, attrs, notify));
}

/** RtmClient.addOrUpdateChannelAttributes. */
export function addOrUpdateChannelAttributes(
  c: RequestContext,
  channelId: string,
  attributes: Record<string, string>,
  options?: ChannelAttributeOptions,
): Promise<void> {
  const op = 'addOrUpdateChannelAttributes';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const id = checkChannelId(channelId, ctx);
  const attrs = checkAttributeMap(attributes, ctx);
  const notify = checkChannelAttributeOptions(options, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.addOrUpdateChannelAttributes(id, attrs, notify));
}

/** RtmClient.deleteChannelAttributesByKeys. */
export function deleteChannelAttributesByKeys(
  c: RequestContext,
  channelId: string,
  keys: string[],
  options?: ChannelAttributeOptions,
): Promise<void> {
  const op = 'deleteChannelAttributesByKeys';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const id = checkChannelId(channelId, ctx);
  const k = checkAttributeKeys(keys, ctx);
  const notify = checkChannelAttributeOptions(options, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.deleteChannelAttributesByKeys(id, k, notify));
}

/** RtmClient.clearChannelAttributes. */
export function clearChannelAttributes(c: RequestContext, channelId: string, options?: ChannelAttributeOptions): Promise<void> {
  const op = 'clearChannelAttributes';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const id = checkChannelId(channelId, ctx);
  const notify = checkChannelAttributeOptions(options, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.clearChannelAttributes(id, notify));
}

/** RtmClient.getChannelAttributes. */
export function getChannelAttributes(c: RequestContext, channelId: string): Promise<ChannelAttributes> {
  const op = 'getChannelAttributes';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const id = checkChannelId(channelId, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.getChannelAttributes(id));
}

/** RtmClient.getChannelAttributesByKeys. */
export function getChannelAttributesByKeys(c: RequestContext, channelId: string, keys: string[]): Promise<ChannelAttributes> {
  const op = 'getChannelAttributesByKeys';
  const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
  c.assertAlive(op);
  const id = checkChannelId(channelId, ctx);
  const k = checkAttributeKeys(keys, ctx);
  return c.request(op, 'ATTRIBUTE_OPERATION_ERR', () => c.native.getChannelAttributesByKeys(id, k));
}

/** RtmClient.getChannelMemberCount. */
export function getChannelMemberCount(c: RequestContext, channelIds: string[]): Promise<Record<string, number>> {
  const op = 'getChannelMemberCount';
  const ctx: CheckContext = { operation: op, cppEnum: 'GET_CHANNEL_MEMBER_COUNT_ERR_CODE' };
  c.assertAlive(op);
  const ids = checkMemberCountChannelIds(channelIds, ctx);
  return c.request(op, 'GET_CHANNEL_MEMBER_COUNT_ERR_CODE', () => c.native.getChannelMemberCount(ids));
}

// --- Results ----------------------------------------------------------------------------------

/** Handles the result of an attribute or member-count request; false for any other kind. */
export function handleAttributeEvent(event: NativeEvent, pending: PendingRegistry): boolean {
  switch (event[0]) {
    case EventKind.SetLocalUserAttributesResult:
      settleResult(pending, event[1], ['setLocalUserAttributes'], event[2]);
      return true;
    case EventKind.AddOrUpdateLocalUserAttributesResult:
      settleResult(pending, event[1], ['addOrUpdateLocalUserAttributes'], event[2]);
      return true;
    case EventKind.DeleteLocalUserAttributesResult:
      settleResult(pending, event[1], ['deleteLocalUserAttributesByKeys'], event[2]);
      return true;
    case EventKind.ClearLocalUserAttributesResult:
      settleResult(pending, event[1], ['clearLocalUserAttributes'], event[2]);
      return true;
    case EventKind.GetUserAttributesResult: {
      const entry = pending.find(event[1], ['getUserAttributes', 'getUserAttributesByKeys']);
      if (entry !== undefined) settleWithCode(pending, entry, event[4], event[4] === 0 ? toRecord(event[3]) : undefined);
      return true;
    }
    case EventKind.SetChannelAttributesResult:
      settleResult(pending, event[1], ['setChannelAttributes'], event[2]);
      return true;
    case EventKind.AddOrUpdateChannelAttributesResult:
      settleResult(pending, event[1], ['addOrUpdateChannelAttributes'], event[2]);
      return true;
    case EventKind.DeleteChannelAttributesResult:
      settleResult(pending, event[1], ['deleteChannelAttributesByKeys'], event[2]);
      return true;
    case EventKind.ClearChannelAttributesResult:
      settleResult(pending, event[1], ['clearChannelAttributes'], event[2]);
      return true;
    case EventKind.GetChannelAttributesResult: {
      const entry = pending.find(event[1], ['getChannelAttributes', 'getChannelAttributesByKeys']);
      if (entry !== undefined) settleWithCode(pending, entry, event[3], event[3] === 0 ? toChannelAttributes(event[2]) : undefined);
      return true;
    }
    case EventKind.GetChannelMemberCountResult: {
      const entry = pending.find(event[1], ['getChannelMemberCount']);
      if (entry !== undefined) settleWithCode(pending, entry, event[3], event[3] === 0 ? toMemberCounts(event[2]) : undefined);
      return true;
    }
    default:
      return false;
  }
}
