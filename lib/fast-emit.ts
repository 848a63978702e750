// What `emitter.emit(type, a, b, c)` does for MessageFromPeer and ChannelMessage, without emit's rest-argument array and lookups
// when the event has exactly one plain listener (the common case for MessageFromPeer and
// ChannelMessage, emitted up to millions of times a second). Node's EventEmitter keeps a single
// listener as the function itself in `_events[type]` (a `once()` listener as its wrapper, which
// removes itself before calling the listener) and calls it with the emitter as `this`, letting
// whatever it throws propagate: calling that function here does the same. Anything else — several
// listeners (emit copies the list first), an emitter whose `emit` was replaced or overridden, one
// that captures rejections (emit then watches the listener's result), or a Node whose
// EventEmitter is laid out differently — goes through emit itself.
import { EventEmitter } from 'node:events';

const EMIT = EventEmitter.prototype.emit;

/** Node's per-instance captureRejections flag (a symbol it does not export), if found. */
const K_CAPTURE: symbol | undefined = Object.getOwnPropertySymbols(new EventEmitter()).find(
  (s) => s.description === 'kCapture',
);

type Listener = (this: EventEmitter, a: unknown, b: unknown, c: unknown) => unknown;

interface EmitterInternals {
  _events?: Record<string, Listener | Listener[] | undefined>;
}

function plain(emitter: EventEmitter): boolean {
  return emitter.emit === EMIT && K_CAPTURE !== undefined && (emitter as unknown as Record<symbol, unknown>)[K_CAPTURE] === false;
}

// One function per event name, each with a constant property name, so that every load in it sees
// one kind of emitter (V8's feedback is per function, not per call site).

/** `client.emit('MessageFromPeer', message, peerId, props)`. */
export function emitMessageFromPeer(client: EventEmitter, message: unknown, peerId: unknown, props: unknown): void {
  if (plain(client)) {
    const events = (client as unknown as EmitterInternals)._events;
    if (events !== undefined) {
      const handler = events.MessageFromPeer;
      if (handler === undefined) return;
      if (typeof handler === 'function') {
        handler.call(client, message, peerId, props);
        return;
      }
    }
  }
  client.emit('MessageFromPeer', message, peerId, props);
}

/** `channel.emit('ChannelMessage', message, memberId, props)`. */
export function emitChannelMessage(channel: EventEmitter, message: unknown, memberId: unknown, props: unknown): void {
  if (plain(channel)) {
    const events = (channel as unknown as EmitterInternals)._events;
    if (events !== undefined) {
      const handler = events.ChannelMessage;
      if (handler === undefined) return;
      if (typeof handler === 'function') {
        handler.call(channel, message, memberId, props);
        return;
      }
    }
  }
  channel.emit('ChannelMessage', message, memberId, props);
}
