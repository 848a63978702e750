// The soak's message ledger: every peer and channel message the soak sends, what its promise
// said, who received it, and the verdict (lost / duplicate / out of order). The definitions are
// at the top of bench/soak.cjs.
'use strict';

const P_PENDING = 0;
const P_RESOLVED = 1;
const P_REJECTED = 2;

const MAX_SAMPLES = 12;

/** Bytes of a raw message: a pattern derived from its gid, so that a corrupted copy shows. */
function rawBytes(gid, length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (gid * 31 + i * 7) & 0xff;
  return bytes;
}

function rawIntact(gid, bytes) {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== ((gid * 31 + i * 7) & 0xff)) return false;
  return true;
}

const PAD = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(1000);

class Ledger {
  /**
   * @param {{ graceMs: number, settleMs: number, longDropMs: number, rng: () => number }} o
   * graceMs: how long after a promise settled a message may still arrive; settleMs: the part of
   * the eligibility window after the resolution (see soak.cjs); longDropMs: a link loss this long
   * may have let the service remove the session.
   */
  constructor(o) {
    this.graceMs = o.graceMs;
    this.settleMs = o.settleMs;
    this.longDropMs = o.longDropMs;
    this.rng = o.rng;
    /** gid → record, until its verdict. */
    this.recs = new Map();
    /** Settled records in settle order (their due times are in that order too). */
    this.queue = [];
    this.head = 0;
    this.nextGid = 1;
    this.peer = {
      sent: 0,
      acked: 0,
      ackedReceived: 0,
      ackedUnreachable: 0,
      ackedCached: 0,
      rejected: 0,
      delivered: 0,
      deliveredOffline: 0,
      expected: 0,
      expectedDelivered: 0,
      lost: 0,
    };
    this.chan = { sent: 0, acked: 0, rejected: 0, delivered: 0, expected: 0, expectedDelivered: 0, lost: 0 };
    this.dup = 0;
    this.reorder = 0;
    this.misrouted = 0;
    this.corrupt = 0;
    /** Delivered after the record's verdict (more than graceMs after its promise settled). */
    this.late = 0;
    this.lateAfterLost = 0;
    /** gids counted lost (bounded), to recognise a late arrival of one. */
    this.lostGids = new Set();
    this.samples = { lost: [], dup: [], reorder: [], misrouted: [], corrupt: [], late: [] };
  }

  #sample(kind, text) {
    const list = this.samples[kind];
    if (list.length < MAX_SAMPLES) list.push(text);
  }

  /** A text padding of a random length: mostly short, sometimes a few KB. */
  #pad() {
    const r = this.rng();
    const n = r < 0.02 ? 2000 + Math.floor(this.rng() * 6000) : Math.floor(this.rng() * 120);
    return PAD.slice(0, n);
  }

  /** The message object for a record: TEXT with the id first, or RAW with the id as description. */
  #message(rec, id) {
    if (this.rng() < 0.2) {
      return { rawMessage: rawBytes(rec.gid, Math.floor(this.rng() * 1024)), description: id };
    }
    return { text: `${id}|${this.#pad()}` };
  }

  /** A peer message from `sender` to agent `target`: [record, message]. */
  makePeer(sender, target, now) {
    const gid = this.nextGid++;
    const key = `p|${target.uid}`;
    const seq = (sender.seqOut.get(key) ?? 0) + 1;
    sender.seqOut.set(key, seq);
    const rec = {
      kind: 'p',
      gid,
      sender,
      target,
      seq,
      tCall: now,
      tSettle: 0,
      due: 0,
      state: P_PENDING,
      code: -1,
      expect: false,
      delivered: null, // Set of receiver incarnations
    };
    this.recs.set(gid, rec);
    this.peer.sent++;
    return [rec, this.#message(rec, `p|${gid}|${sender.inc}|${target.uid}|${seq}`)];
  }

  /** A channel message from `sender` on `channelId`; candidates: [agent, membership] of the other members at the call. */
  makeChannel(sender, channelId, candidates, now) {
    const gid = this.nextGid++;
    const key = `c|${channelId}`;
    const seq = (sender.seqOut.get(key) ?? 0) + 1;
    sender.seqOut.set(key, seq);
    const rec = {
      kind: 'c',
      gid,
      sender,
      channelId,
      seq,
      candidates,
      tCall: now,
      tSettle: 0,
      due: 0,
      state: P_PENDING,
      delivered: null,
    };
    this.recs.set(gid, rec);
    this.chan.sent++;
    return [rec, this.#message(rec, `c|${gid}|${sender.inc}|${channelId}|${seq}`)];
  }

  #settle(rec, now) {
    rec.tSettle = now;
    rec.due = now + this.settleMs + this.graceMs;
    this.queue.push(rec);
  }

  /** sendMessageToPeer settled: r = { ok, value: { hasPeerReceived, code } } or { ok: false }. */
  peerSettled(rec, r, now) {
    if (r.ok) {
      rec.state = P_RESOLVED;
      rec.code = r.value.code;
      this.peer.acked++;
      if (r.value.hasPeerReceived) {
        this.peer.ackedReceived++;
        rec.expect = true;
      } else if (r.value.code === 4) {
        this.peer.ackedCached++;
      } else {
        this.peer.ackedUnreachable++;
      }
    } else {
      rec.state = P_REJECTED;
      this.peer.rejected++;
    }
    this.#settle(rec, now);
  }

  /** RtmChannel.sendMessage settled. */
  channelSettled(rec, ok, now) {
    if (ok) {
      rec.state = P_RESOLVED;
      this.chan.acked++;
    } else {
      rec.state = P_REJECTED;
      this.chan.rejected++;
      rec.candidates = null;
    }
    this.#settle(rec, now);
  }

  /** Parses a received message: { kind, gid, senderInc, target, seq } or null. */
  #parse(message) {
    let id;
    if (message.messageType === 'TEXT') id = message.text;
    else if (message.messageType === 'RAW') id = message.description;
    else return null;
    const parts = id.split('|', 5);
    if (parts.length < 5) return null;
    const gid = Number(parts[1]);
    const parsed = { kind: parts[0], gid, senderInc: Number(parts[2]), target: parts[3], seq: Number(parts[4]) };
    if (message.messageType === 'RAW' && !rawIntact(gid, message.rawMessage)) {
      this.corrupt++;
      this.#sample('corrupt', `raw bytes of message ${gid} differ (${message.rawMessage.length} bytes)`);
    }
    return parsed;
  }

  /** Order and duplicates per sender → receiver pair (and channel). */
  #order(receiver, pairKey, m, rec, describe) {
    if (rec !== undefined) {
      rec.delivered ??= new Set();
      if (rec.delivered.has(receiver.inc)) {
        this.dup++;
        this.#sample('dup', `${describe} delivered twice to ${receiver.name}`);
        return;
      }
      rec.delivered.add(receiver.inc);
    } else {
      this.late++;
      if (this.lostGids.has(m.gid)) this.lateAfterLost++;
      this.#sample('late', `${describe} reached ${receiver.name} after its verdict${this.lostGids.has(m.gid) ? ' (counted lost)' : ''}`);
    }
    const last = receiver.pairs.get(pairKey) ?? 0;
    if (m.seq <= last) {
      this.reorder++;
      this.#sample('reorder', `${describe}: seq ${m.seq} reached ${receiver.name} after seq ${last}`);
      return;
    }
    receiver.pairs.set(pairKey, m.seq);
  }

  /** MessageFromPeer on `receiver`. */
  deliverPeer(receiver, message, from, props) {
    this.peer.delivered++;
    if (props.isOfflineMessage) this.peer.deliveredOffline++;
    const m = this.#parse(message);
    if (m === null || m.kind !== 'p' || m.target !== receiver.uid) {
      this.misrouted++;
      this.#sample('misrouted', `peer message ${JSON.stringify(String(message.text ?? message.description).slice(0, 60))} from ${from} reached ${receiver.name}`);
      return;
    }
    const rec = this.recs.get(m.gid);
    if (rec !== undefined && (rec.sender.uid !== from || rec.sender.inc !== m.senderInc || rec.target !== receiver)) {
      this.misrouted++;
      this.#sample('misrouted', `peer message ${m.gid} of ${rec.sender.name} → ${rec.target.name} reached ${receiver.name} as from ${from}`);
      return;
    }
    this.#order(receiver, `p|${m.senderInc}`, m, rec, `peer message ${m.gid} (${from} → ${receiver.uid}, seq ${m.seq}${props.isOfflineMessage ? ', offline' : ''})`);
  }

  /** ChannelMessage on `receiver`'s channel `channelId`. */
  deliverChannel(receiver, channelId, message, from) {
    this.chan.delivered++;
    const m = this.#parse(message);
    if (m === null || m.kind !== 'c' || m.target !== channelId) {
      this.misrouted++;
      this.#sample('misrouted', `channel message ${JSON.stringify(String(message.text ?? message.description).slice(0, 60))} from ${from} reached ${receiver.name} in ${channelId}`);
      return;
    }
    const rec = this.recs.get(m.gid);
    if (rec !== undefined && (rec.sender.uid !== from || rec.sender.inc !== m.senderInc || rec.sender === receiver)) {
      this.misrouted++;
      this.#sample('misrouted', `channel message ${m.gid} of ${rec.sender.name} reached ${receiver.name} as from ${from}`);
      return;
    }
    this.#order(receiver, `c|${m.senderInc}|${channelId}`, m, rec, `channel message ${m.gid} (${from} → ${receiver.uid} in ${channelId}, seq ${m.seq})`);
  }

  /** The verdicts of records that are due (all of them with force). */
  tick(now, force = false) {
    while (this.head < this.queue.length) {
      const rec = this.queue[this.head];
      if (!force && rec.due > now) break;
      this.queue[this.head] = undefined;
      this.head++;
      this.#verdict(rec, now);
      this.recs.delete(rec.gid);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  #lost(rec, receiver, text) {
    if (this.lostGids.size < 100000) this.lostGids.add(rec.gid);
    const others = rec.kind === 'c' ? ` (delivered to ${rec.delivered?.size ?? 0} of ${rec.candidates.length} other candidates)` : '';
    this.#sample(
      'lost',
      `${text}${others}; call at ${rec.tCall.toFixed(0)}, settled at ${rec.tSettle.toFixed(0)}; ` +
        `receiver's trace: ${receiver.trace.filter((x) => Number(x.split(' ')[0]) >= rec.tCall - 3000).join(' | ')}`,
    );
  }

  #verdict(rec, now) {
    if (rec.kind === 'p') {
      if (!rec.expect) return;
      this.peer.expected++;
      if (rec.delivered?.has(rec.target.inc)) {
        this.peer.expectedDelivered++;
        return;
      }
      this.peer.lost++;
      this.#lost(
        rec,
        rec.target,
        `peer message ${rec.gid} ${rec.sender.name} → ${rec.target.name} seq ${rec.seq}: hasPeerReceived true ` +
          `${(rec.tSettle - rec.tCall).toFixed(0)} ms after the call, not received ${(now - rec.tSettle).toFixed(0)} ms later`,
      );
      return;
    }
    if (rec.state !== P_RESOLVED) return;
    for (const [agent, membership] of rec.candidates) {
      // A receiver whose link is down gets the message once the link is back: it must stay in
      // the channel until then.
      let windowEnd = rec.tSettle + this.settleMs;
      const back = agent.linkBackAfter(rec.tCall, windowEnd, now);
      if (back + this.settleMs > windowEnd) windowEnd = back + this.settleMs;
      if (membership.leftAt <= windowEnd) continue;
      if (agent.disturbedBetween(rec.tCall, windowEnd, now, this.longDropMs)) continue;
      this.chan.expected++;
      if (rec.delivered?.has(agent.inc)) {
        this.chan.expectedDelivered++;
        continue;
      }
      this.chan.lost++;
      this.#lost(
        rec,
        agent,
        `channel message ${rec.gid} ${rec.sender.name} → ${agent.name} in ${rec.channelId} seq ${rec.seq}: resolved ` +
          `${(rec.tSettle - rec.tCall).toFixed(0)} ms after the call while the receiver was joined (since ` +
          `${(rec.tCall - membership.joinedAt).toFixed(0)} ms before the call) until ${windowEnd.toFixed(0)}, not received ${(now - rec.tSettle).toFixed(0)} ms later`,
      );
    }
  }

  /** Records still waiting for a verdict. */
  get open() {
    return this.recs.size;
  }
}

module.exports = { Ledger };
