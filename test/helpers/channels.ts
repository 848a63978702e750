// Helpers for channel integration tests: recorders of a channel's events, joined channels.
import type { ChannelAttributes, ReceivedMessageProperties, ReceivedRtmMessage, RtmChannel, RtmClient } from '../../lib/index';

export interface ChannelMessageRecord {
  message: ReceivedRtmMessage;
  memberId: string;
  props: ReceivedMessageProperties;
}

/** Everything a channel object emitted, in order per kind. */
export interface ChannelLog {
  messages: ChannelMessageRecord[];
  joined: string[];
  left: string[];
  attributes: ChannelAttributes[];
  counts: number[];
}

/** Records every event of `channel`. */
export function recordChannel(channel: RtmChannel): ChannelLog {
  const log: ChannelLog = { messages: [], joined: [], left: [], attributes: [], counts: [] };
  channel.on('ChannelMessage', (message, memberId, props) => log.messages.push({ message, memberId, props }));
  channel.on('MemberJoined', (memberId) => log.joined.push(memberId));
  channel.on('MemberLeft', (memberId) => log.left.push(memberId));
  channel.on('AttributesUpdated', (attributes) => log.attributes.push(attributes));
  channel.on('MemberCountUpdated', (count) => log.counts.push(count));
  return log;
}

/** A channel object of `client` for `channelId`, joined, with a recorder attached before the join. */
export async function joinedChannel(client: RtmClient, channelId: string): Promise<{ channel: RtmChannel; log: ChannelLog }> {
  const channel = client.createChannel(channelId);
  const log = recordChannel(channel);
  await channel.join();
  return { channel, log };
}

/** The texts of recorded TEXT messages. */
export function texts(log: ChannelLog): string[] {
  return log.messages.map((m) => (m.message.messageType === 'TEXT' ? m.message.text : `<raw ${m.message.rawMessage.byteLength}>`));
}
