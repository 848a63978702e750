// The soak's world: emulated services, their clients ("agents"), the traffic they make and the
// faults done to them. bench/soak.cjs drives it and prints the figures.
'use strict';
const { default: AgoraRTM, ConnectionState, RtmError } = require('../../dist/index.js');
const { Emulator } = require('../../dist/emulator.js');
const { Ledger } = require('./ledger.cjs');
const { sleep } = require('./util.cjs');

const APP_ID = '0123456789abcdef0123456789abcdef';

/** At most this many messages in flight per agent (a client is never flooded without bound). */
const MAX_MESSAGES_IN_FLIGHT = 64;
const MAX_LOCAL_INVITATIONS = 3;

const now = () => performance.now();

/** Fault kinds and their weights: short and long link losses, kicks, token expiries, logout + login. */
const FAULT_WEIGHTS = [
  ['drop', 0.35],
  ['long-drop', 0.15],
  ['kick', 0.25],
  ['token', 0.1],
  ['logout', 0.15],
];
const FAULT_KINDS = [...FAULT_WEIGHTS.map(([k]) => k), 'restart'];

class Agent {
  constructor(world, svc, k) {
    this.world = world;
    this.svc = svc;
    this.k = k;
    this.uid = `s${svc.index}u${k}`;
    this.inc = world.nextInc++;
    this.name = `${this.uid}#${this.inc}`;
    this.client = null;
    /** 'new' | 'login' | 'online' | 'relogin' | 'offline' | 'released' */
    this.phase = 'new';
    this.released = false;
    /** Disturbances, oldest first: { kind, start, end } (end === start for an instant, Infinity while a link loss lasts). */
    this.log = [];
    /** The link loss in progress (an entry of log), or null. */
    this.drop = null;
    this.dropTimer = null;
    /** channel id → slot { id, ch, want, busy, member: { joinedAt, leftAt } | null } */
    this.slots = new Map();
    this.localInv = new Set();
    this.remoteInv = new Set();
    /** Next sequence number per target ('p|uid' or 'c|channel'). */
    this.seqOut = new Map();
    /** Highest sequence number received per sender (and channel). */
    this.pairs = new Map();
    this.messagesInFlight = 0;
    this.inflight = new Set();
    this.attrBusy = false;
    this.chanAttrBusy = false;
    this.timers = new Set();
    /** The last few things that happened to this agent, for the failure samples. */
    this.trace = [];
  }

  note(text) {
    this.trace.push(`${now().toFixed(0)} ${text}`);
    if (this.trace.length > 40) this.trace.shift();
  }

  get rng() {
    return this.world.rng;
  }

  /** Can make calls: logged in, its service running, the soak not winding down. */
  get active() {
    return this.phase === 'online' && !this.svc.stopping && !this.world.quiescing;
  }

  /** A timer that does nothing once the agent is released or its service is stopping. */
  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.released || this.svc.stopping) return;
      fn();
    }, ms);
    this.timers.add(t);
  }

  mark(kind, t = now()) {
    this.log.push({ kind, start: t, end: t });
    this.note(kind);
  }

  /** Whether the service may have dropped this agent's deliveries during [t0, t1]. */
  disturbedBetween(t0, t1, at, longDropMs) {
    for (const e of this.log) {
      if (e.start > t1) break;
      const end = e.end === Infinity ? at : e.end;
      if (end < t0) continue;
      if (e.kind === 'drop' && end - e.start < longDropMs) continue; // a short link loss: held, not lost
      return true;
    }
    return false;
  }

  /** The end of the last link loss overlapping [t0, t1] (`at` if it lasts), or -Infinity. */
  linkBackAfter(t0, t1, at) {
    let back = -Infinity;
    for (const e of this.log) {
      if (e.start > t1) break;
      if (e.kind !== 'drop') continue;
      const end = e.end === Infinity ? at : e.end;
      if (end >= t0 && end > back) back = end;
    }
    return back;
  }

  pruneLog(before) {
    let i = 0;
    while (i < this.log.length && this.log[i].end !== Infinity && this.log[i].end < before) i++;
    if (i > 0) this.log.splice(0, i);
  }

  /** Runs an API call; resolves with { ok, value } or { ok: false, err }, never rejects. */
  call(op, fn) {
    const world = this.world;
    let p;
    try {
      p = fn();
    } catch (err) {
      world.noteError(op, err, this);
      return Promise.resolve({ ok: false, err });
    }
    const entry = { op, agent: this.name, t: now() };
    world.pending.add(entry);
    this.inflight.add(entry);
    world.calls++;
    const done = () => {
      world.pending.delete(entry);
      this.inflight.delete(entry);
    };
    return p.then(
      (value) => {
        done();
        return { ok: true, value };
      },
      (err) => {
        done();
        world.noteError(op, err, this);
        return { ok: false, err };
      },
    );
  }

  // --- life cycle -----------------------------------------------------------------------------

  start() {
    try {
      this.client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: this.svc.emu.url });
    } catch (err) {
      this.world.noteError('createInstance', err, this);
      this.later(500, () => this.start());
      return;
    }
    const c = this.client;
    const w = this.world;
    c.on('ConnectionStateChanged', (state, reason) => {
      this.note(`${state} ${reason}`);
      this.#onState(state);
    });
    c.on('MessageFromPeer', (message, from, props) => w.ledger.deliverPeer(this, message, from, props));
    c.on('RemoteInvitationReceived', (inv) => this.#onInvitation(inv));
    c.on('PeersOnlineStatusChanged', () => w.counters.presenceEvents++);
    c.on('TokenExpired', () => w.counters.tokenExpiredEvents++);
    c.on('Backlog', () => w.counters.backlogEvents++);
    c.on('error', (err) => w.noteError('client error event', err, this));
    for (let i = 0; i < this.svc.channelIds.length; i++) {
      if (i === 0 || this.rng() < 0.6) this.#slot(this.svc.channelIds[i]).want = true;
    }
    void this.login();
  }

  #slot(id) {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = { id, ch: null, want: false, busy: false, member: null };
      this.slots.set(id, slot);
    }
    return slot;
  }

  #newChannel(slot) {
    try {
      slot.ch = this.client.createChannel(slot.id);
    } catch (err) {
      this.world.noteError('createChannel', err, this);
      slot.ch = null;
      return;
    }
    const w = this.world;
    slot.ch.on('ChannelMessage', (message, from) => w.ledger.deliverChannel(this, slot.id, message, from));
    slot.ch.on('AttributesUpdated', () => w.counters.attributesUpdatedEvents++);
    slot.ch.on('MemberJoined', () => w.counters.memberEvents++);
    slot.ch.on('MemberLeft', () => w.counters.memberEvents++);
    slot.ch.on('MemberCountUpdated', () => w.counters.memberCountEvents++);
  }

  async login() {
    if (this.released || this.svc.stopping) return;
    this.phase = 'login';
    const r = await this.call('login', () => this.client.login({ uid: this.uid }));
    if (this.released || this.svc.stopping) return;
    if (r.ok) {
      this.phase = 'online';
      this.world.counters.logins++;
      for (const slot of this.slots.values()) if (slot.want) void this.join(slot);
      if (this.rng() < 0.5) void this.#subscribe();
      return;
    }
    this.phase = 'offline';
    this.later(300 + this.rng() * 700, () => void this.relogin());
  }

  /** Logs out (unless DISCONNECTED) and in again: after a kick, a failed login, or as a fault. */
  async relogin() {
    if (this.released || this.svc.stopping || this.phase === 'relogin') return;
    this.phase = 'relogin';
    this.#leftAll();
    if (this.client.connectionState !== ConnectionState.DISCONNECTED) {
      await this.call('logout', () => this.client.logout());
      if (this.released || this.svc.stopping) return;
    }
    await this.login();
  }

  #onState(state) {
    if (state === ConnectionState.ABORTED) {
      this.mark('aborted');
      this.#leftAll();
      if (this.phase === 'online') this.phase = 'offline';
      if (!this.svc.stopping && !this.released) this.later(100 + this.rng() * 400, () => void this.relogin());
    }
  }

  /** The service took this agent out of every channel (kick, logout, stop…). */
  #leftAll(t = now()) {
    for (const slot of this.slots.values()) {
      if (slot.member !== null) {
        slot.member.leftAt = t;
        slot.member = null;
      }
    }
  }

  async join(slot) {
    if (!this.active || slot.busy || slot.member !== null) return;
    if (slot.ch === null) this.#newChannel(slot);
    if (slot.ch === null) return;
    slot.busy = true;
    const t0 = now();
    const ch = slot.ch;
    const r = await this.call('join', () => ch.join());
    slot.busy = false;
    if (this.released || slot.ch !== ch) return;
    const t1 = now();
    const longDropMs = this.world.ledger.longDropMs;
    this.note(`join ${slot.id} ${r.ok ? 'ok' : r.err?.codeName}`);
    if (r.ok && this.phase === 'online' && !this.disturbedBetween(t0, t1, t1, longDropMs) && slot.member === null) {
      slot.member = { joinedAt: t1, leftAt: Infinity };
    } else if (!r.ok && r.err?.codeName === 'JOIN_CHANNEL_ERR_ALREADY_JOINED') {
      // The object is joined although this agent does not count it as a member: leave, rejoin later.
      void this.leave(slot, true);
    }
  }

  async leave(slot, force = false) {
    if (!this.active || slot.busy || (slot.member === null && !force) || slot.ch === null) return;
    if (slot.member !== null) {
      slot.member.leftAt = now();
      slot.member = null;
    }
    slot.busy = true;
    const ch = slot.ch;
    this.note(`leave ${slot.id}`);
    await this.call('leave', () => ch.leave());
    slot.busy = false;
    this.later(500 + this.rng() * 2500, () => void this.join(slot));
  }

  /** Releases the channel object and makes a new one (the id is free again at once). */
  async recreate(slot) {
    if (!this.active || slot.busy || slot.ch === null) return;
    if (slot.member !== null) {
      slot.member.leftAt = now();
      slot.member = null;
    }
    slot.busy = true;
    const ch = slot.ch;
    slot.ch = null;
    this.note(`release channel ${slot.id}`);
    await this.call('channel.release', () => ch.release());
    ch.removeAllListeners();
    slot.busy = false;
    this.world.counters.channelRecreations++;
    this.later(200 + this.rng() * 1500, () => void this.join(slot));
  }

  /**
   * Releases the client. Before that, the soak let its calls settle and its events drain
   * (Service.restart, and the end of bench/soak.cjs), so that a release drops nothing the
   * service reported as received.
   */
  async release() {
    if (this.released) return;
    this.mark('release');
    this.#leftAll();
    this.released = true;
    this.phase = 'released';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.dropTimer !== null) clearTimeout(this.dropTimer);
    this.dropTimer = null;
    if (this.drop !== null) this.drop.end = now();
    this.drop = null;
    if (this.client === null) return;
    const r = await this.call('release', () => this.client.release());
    if (!r.ok) this.world.failures.push(`release() of ${this.name} rejected: ${r.err?.message}`);
  }

  // --- traffic --------------------------------------------------------------------------------

  sendPeer() {
    if (!this.active || this.messagesInFlight >= MAX_MESSAGES_IN_FLIGHT) return;
    const others = this.svc.agents;
    let target = this.rng.pick(others);
    if (target === this) target = others[(target.k + 1) % others.length];
    const w = this.world;
    const [rec, message] = w.ledger.makePeer(this, target, now());
    const options = this.rng() < 0.3 ? { enableOfflineMessaging: true } : undefined;
    this.messagesInFlight++;
    void this.call('sendMessageToPeer', () => this.client.sendMessageToPeer(message, target.uid, options)).then((r) => {
      this.messagesInFlight--;
      w.ledger.peerSettled(rec, r, now());
    });
  }

  sendChannel() {
    if (!this.active || this.messagesInFlight >= MAX_MESSAGES_IN_FLIGHT) return;
    const joined = [];
    for (const slot of this.slots.values()) if (slot.member !== null && !slot.busy) joined.push(slot);
    if (joined.length === 0) return;
    const slot = this.rng.pick(joined);
    const candidates = [];
    for (const a of this.svc.agents) {
      if (a === this || a.released) continue;
      const m = a.slots.get(slot.id)?.member;
      if (m !== undefined && m !== null) candidates.push([a, m]);
    }
    const w = this.world;
    const [rec, message] = w.ledger.makeChannel(this, slot.id, candidates, now());
    const ch = slot.ch;
    this.messagesInFlight++;
    void this.call('channel.sendMessage', () => ch.sendMessage(message)).then((r) => {
      this.messagesInFlight--;
      w.ledger.channelSettled(rec, r.ok, now());
    });
  }

  /** One of the other calls, chosen at random. */
  other() {
    if (!this.active) return;
    const r = this.rng();
    if (r < 0.25) void this.#userAttributes();
    else if (r < 0.45) void this.#channelAttributes();
    else if (r < 0.6) void this.#invite();
    else if (r < 0.7) void this.#presence();
    else if (r < 0.8) void this.#members();
    else if (r < 0.9) void this.#churn();
    else void this.#peerAttributes();
  }

  async #userAttributes() {
    if (this.attrBusy) return;
    this.attrBusy = true;
    const w = this.world;
    const value = `v${w.counters.attributeWrites++}`;
    const t0 = now();
    const set = await this.call('setLocalUserAttributes', () =>
      this.client.setLocalUserAttributes({ mood: value, uid: this.uid }),
    );
    if (set.ok && this.active) {
      const got = await this.call('getUserAttributes', () => this.client.getUserAttributes(this.uid));
      const t1 = now();
      // Logout and a kick clear them; a long link loss re-pushes them: check only when undisturbed.
      if (got.ok && !this.disturbedBetween(t0, t1, t1, 0)) {
        if (got.value.mood === value && got.value.uid === this.uid) w.counters.attributeChecks++;
        else w.mismatch(`user attributes of ${this.name}: wrote mood=${value}, read ${JSON.stringify(got.value)}`);
      }
    }
    this.attrBusy = false;
  }

  async #peerAttributes() {
    const peer = this.rng.pick(this.svc.agents);
    await this.call('getUserAttributesByKeys', () => this.client.getUserAttributesByKeys(peer.uid, ['mood']));
  }

  async #channelAttributes() {
    if (this.chanAttrBusy) return;
    this.chanAttrBusy = true;
    const w = this.world;
    const channelId = this.rng.pick(this.svc.channelIds);
    const notify = { enableNotificationToChannelMembers: this.rng() < 0.5 };
    const gen = this.svc.gen;
    const del = this.rng() < 0.2;
    const value = `v${w.counters.attributeWrites++}`;
    const write = del
      ? await this.call('deleteChannelAttributesByKeys', () =>
          this.client.deleteChannelAttributesByKeys(channelId, [this.uid], notify),
        )
      : await this.call('addOrUpdateChannelAttributes', () =>
          this.client.addOrUpdateChannelAttributes(channelId, { [this.uid]: value }, notify),
        );
    if (write.ok && this.active) {
      const got = await this.call('getChannelAttributesByKeys', () =>
        this.client.getChannelAttributesByKeys(channelId, [this.uid]),
      );
      // Only this agent writes its key, and the attributes live as long as the service.
      if (got.ok && this.svc.gen === gen) {
        const a = got.value[this.uid];
        const good = del ? a === undefined : a !== undefined && a.value === value && a.lastUpdateUserId === this.uid;
        if (good) w.counters.attributeChecks++;
        else w.mismatch(`channel attribute ${this.uid} of ${channelId}: ${del ? 'deleted' : `wrote ${value}`}, read ${JSON.stringify(a)}`);
      }
    }
    this.chanAttrBusy = false;
  }

  async #presence() {
    const peers = [this.rng.pick(this.svc.agents).uid, this.rng.pick(this.svc.agents).uid];
    if (this.rng() < 0.5) await this.call('queryPeersOnlineStatus', () => this.client.queryPeersOnlineStatus(peers));
    else await this.#subscribe();
  }

  async #subscribe() {
    const peers = [this.rng.pick(this.svc.agents).uid];
    if (this.rng() < 0.3) {
      await this.call('unsubscribePeersOnlineStatus', () => this.client.unsubscribePeersOnlineStatus(peers));
    } else {
      await this.call('subscribePeersOnlineStatus', () => this.client.subscribePeersOnlineStatus(peers));
    }
  }

  async #members() {
    if (this.rng() < 0.5) {
      await this.call('getChannelMemberCount', () => this.client.getChannelMemberCount(this.svc.channelIds));
      return;
    }
    const slot = [...this.slots.values()].find((s) => s.member !== null && !s.busy);
    if (slot !== undefined) {
      const ch = slot.ch;
      await this.call('getMembers', () => ch.getMembers());
    }
  }

  async #churn() {
    const slot = this.#slot(this.rng.pick(this.svc.channelIds));
    if (slot.member === null) {
      slot.want = true;
      await this.join(slot);
    } else if (this.rng() < 0.7) {
      await this.leave(slot);
    } else {
      await this.recreate(slot);
    }
  }

  // --- invitations ----------------------------------------------------------------------------

  #invite() {
    if (this.localInv.size >= MAX_LOCAL_INVITATIONS) return;
    const w = this.world;
    let target = this.rng.pick(this.svc.agents);
    if (target === this) target = this.svc.agents[(target.k + 1) % this.svc.agents.length];
    let inv;
    try {
      inv = this.client.createLocalInvitation(target.uid);
      inv.content = `i|${w.inv.created++}|${this.uid}`;
    } catch (err) {
      w.noteError('createLocalInvitation', err, this);
      return;
    }
    const content = inv.content;
    const entry = { inv, t: now() };
    const end = (outcome) => {
      if (!this.localInv.delete(entry)) return;
      w.inv.completed++;
      w.inv.outcomes[outcome] = (w.inv.outcomes[outcome] ?? 0) + 1;
    };
    inv.on('LocalInvitationAccepted', (response) => {
      if (response !== `r:${content}`) w.mismatch(`invitation ${content} accepted with response ${JSON.stringify(response)}`);
      end('accepted');
    });
    inv.on('LocalInvitationRefused', (response) => {
      if (response !== `r:${content}`) w.mismatch(`invitation ${content} refused with response ${JSON.stringify(response)}`);
      end('refused');
    });
    inv.on('LocalInvitationCanceled', () => end('canceled'));
    inv.on('LocalInvitationFailure', (reason) => end(`failure ${reason}`));
    try {
      inv.send();
    } catch (err) {
      w.noteError('LocalInvitation.send', err, this);
      return;
    }
    w.inv.sent++;
    this.localInv.add(entry);
    if (this.rng() < 0.3) {
      this.later(this.rng() * 1500, () => {
        try {
          if (inv.cancel()) w.inv.cancels++;
          else w.inv.cancelsLost++;
        } catch (err) {
          w.noteError('LocalInvitation.cancel', err, this);
        }
      });
    }
  }

  #onInvitation(inv) {
    const w = this.world;
    w.inv.received++;
    const entry = { inv, t: now() };
    this.remoteInv.add(entry);
    const end = () => {
      if (this.remoteInv.delete(entry)) w.inv.remoteEnded++;
    };
    for (const e of ['RemoteInvitationAccepted', 'RemoteInvitationRefused', 'RemoteInvitationCanceled', 'RemoteInvitationFailure']) {
      inv.on(e, end);
    }
    const content = inv.content;
    const r = this.rng();
    if (r > 0.75) return; // never answered: the invitation expires
    this.later(this.rng() * 800, () => {
      try {
        inv.response = `r:${content}`;
        const taken = r < 0.45 ? inv.accept() : inv.refuse();
        if (!taken) w.inv.answersLost++;
      } catch (err) {
        w.noteError(r < 0.45 ? 'RemoteInvitation.accept' : 'RemoteInvitation.refuse', err, this);
      }
    });
  }
}

class Service {
  constructor(world, index) {
    this.world = world;
    this.index = index;
    this.gen = 0;
    this.emu = null;
    this.agents = [];
    this.stopping = true;
    this.restarting = false;
    this.channelIds = [`s${index}-lobby`, `s${index}-news`, `s${index}-ops`];
  }

  async start() {
    this.gen++;
    this.emu = await Emulator.start({ limits: this.world.limits });
    this.stopping = false;
    this.agents = [];
    for (let k = 0; k < this.world.clientsPerService; k++) this.agents.push(new Agent(this.world, this, k));
    for (const a of this.agents) a.start();
  }

  /** One fault on one agent. */
  fault() {
    if (this.stopping) return;
    const w = this.world;
    const online = this.agents.filter((a) => a.phase === 'online');
    if (online.length === 0) return;
    const a = w.rng.pick(online);
    const kind = w.pickFault();
    if (kind === null) return;
    const offline = w.limits.offlineAfterMs;
    if (kind === 'drop' || kind === 'long-drop') {
      if (a.drop !== null) return;
      const long = kind === 'long-drop';
      // Short: restored well before the service would remove the session; long: well after.
      const ms = long ? offline + 400 + w.rng() * 1200 : 150 + w.rng() * (offline - 1200);
      this.#drop(a, ms, long);
    } else if (kind === 'kick') {
      a.mark('kick');
      a.phase = a.phase === 'online' ? 'offline' : a.phase;
      w.counters.kicks++;
      let kicked = false;
      try {
        kicked = this.emu.kick(a.uid);
      } catch (err) {
        w.noteError('Emulator.kick', err, a);
      }
      if (!kicked) a.later(300, () => void a.relogin()); // no session to kick: no ABORTED will come
    } else if (kind === 'token') {
      w.counters.tokenExpiries++;
      try {
        this.emu.expireToken(a.uid);
      } catch (err) {
        w.noteError('Emulator.expireToken', err, a);
      }
    } else if (kind === 'logout') {
      a.mark('logout');
      w.counters.voluntaryRelogins++;
      void a.relogin();
    }
  }

  #drop(a, ms, long) {
    const w = this.world;
    let ok;
    try {
      ok = this.emu.dropConnection(a.uid);
    } catch (err) {
      w.noteError('Emulator.dropConnection', err, a);
      return;
    }
    if (!ok) return;
    w.counters[long ? 'longDrops' : 'shortDrops']++;
    const entry = { kind: 'drop', start: now(), end: Infinity };
    a.log.push(entry);
    a.note(`drop for ${ms.toFixed(0)} ms`);
    a.drop = entry;
    a.dropTimer = setTimeout(() => this.restore(a), ms);
  }

  restore(a) {
    if (a.dropTimer !== null) clearTimeout(a.dropTimer);
    a.dropTimer = null;
    if (a.drop === null) return;
    a.drop.end = now();
    a.drop = null;
    a.note('restore');
    if (this.stopping && this.emu === null) return;
    try {
      this.emu.restoreConnection(a.uid);
    } catch (err) {
      if (!this.stopping) this.world.noteError('Emulator.restoreConnection', err, a);
    }
  }

  /** Waits until the agents have no call, invitation or event left (at most `ms`). */
  async drain(ms) {
    const until = now() + ms;
    const busy = () =>
      this.agents.some(
        (a) =>
          a.inflight.size > 0 ||
          a.localInv.size > 0 ||
          a.remoteInv.size > 0 ||
          (a.client !== null && !a.released && a.client.pendingEvents > 0),
      );
    while (busy() && now() < until) await sleep(50);
    await sleep(200); // events still on the emulator's callback threads
    while (busy() && now() < until) await sleep(50);
    return !busy();
  }

  /** Everything left after a drain: what a release would cut off. */
  leftovers() {
    const out = [];
    for (const a of this.agents) {
      for (const e of a.inflight) out.push(`${e.op} of ${e.agent} pending for ${((now() - e.t) / 1000).toFixed(1)} s`);
      for (const e of a.localInv) out.push(`local invitation ${e.inv.content} of ${a.name} (${e.inv.state}) open for ${((now() - e.t) / 1000).toFixed(1)} s`);
      for (const e of a.remoteInv) out.push(`remote invitation ${e.inv.content} at ${a.name} (${e.inv.state}) open for ${((now() - e.t) / 1000).toFixed(1)} s`);
      if (a.client !== null && !a.released && a.client.pendingEvents > 0) out.push(`${a.client.pendingEvents} events queued for ${a.name}`);
    }
    return out;
  }

  /**
   * Stops the emulated service as a crash of it would (every session kicked), lets the clients
   * settle and drain, releases them, and starts a new service with new clients.
   */
  async restart() {
    const w = this.world;
    this.restarting = true;
    this.stopping = true;
    const t = now();
    for (const a of this.agents) {
      a.mark('stop', t);
      for (const timer of a.timers) clearTimeout(timer);
      a.timers.clear();
      if (a.dropTimer !== null) clearTimeout(a.dropTimer);
      a.dropTimer = null;
      if (a.drop !== null) a.drop.end = t;
      a.drop = null;
    }
    await this.emu.stop();
    const drained = await this.drain(w.drainMs);
    if (!drained) {
      for (const line of this.leftovers()) w.unfinished.push(`at the restart of service ${this.index}: ${line}`);
    }
    await Promise.all(this.agents.map((a) => a.release()));
    this.emu = null;
    w.counters.restarts++;
    if (!w.quiescing) await this.start();
    this.restarting = false;
  }
}

class World {
  constructor(o) {
    this.rng = o.rng;
    this.limits = o.limits;
    this.clientsPerService = o.clientsPerService;
    this.drainMs = o.drainMs;
    this.faults = o.faults;
    this.nextInc = 1;
    this.ledger = new Ledger({ graceMs: o.graceMs, settleMs: o.settleMs, longDropMs: o.longDropMs, rng: o.rng });
    this.services = [];
    for (let i = 0; i < o.services; i++) this.services.push(new Service(this, i));
    /** Calls not settled yet: { op, agent, t }. */
    this.pending = new Set();
    this.calls = 0;
    this.quiescing = false;
    this.counters = {
      logins: 0,
      kicks: 0,
      shortDrops: 0,
      longDrops: 0,
      tokenExpiries: 0,
      voluntaryRelogins: 0,
      restarts: 0,
      channelRecreations: 0,
      attributeWrites: 0,
      attributeChecks: 0,
      attributesUpdatedEvents: 0,
      presenceEvents: 0,
      memberEvents: 0,
      memberCountEvents: 0,
      tokenExpiredEvents: 0,
      backlogEvents: 0,
    };
    this.inv = { created: 0, sent: 0, completed: 0, outcomes: {}, received: 0, remoteEnded: 0, cancels: 0, cancelsLost: 0, answersLost: 0 };
    /** Rejections by "operation: codeName". */
    this.errors = new Map();
    this.safetyTimeouts = [];
    this.unexpected = [];
    this.mismatches = [];
    this.unfinished = [];
    this.failures = [];
  }

  /** A fault kind by weight among the enabled ones, or null. */
  pickFault() {
    let total = 0;
    for (const [kind, weight] of FAULT_WEIGHTS) if (this.faults.has(kind)) total += weight;
    let r = this.rng() * total;
    for (const [kind, weight] of FAULT_WEIGHTS) {
      if (!this.faults.has(kind)) continue;
      r -= weight;
      if (r < 0) return kind;
    }
    return null;
  }

  mismatch(text) {
    this.mismatches.push(text);
  }

  noteError(op, err, agent) {
    const name = err instanceof RtmError ? err.codeName : (err?.name ?? typeof err);
    const key = `${op}: ${name}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    const text = `${key} (${agent?.name ?? '-'}): ${err?.message ?? String(err)}`;
    if (err?.name === 'RtmTimeoutError' && /safety timeout/.test(err.message)) {
      this.safetyTimeouts.push(text);
    } else if (!(err instanceof RtmError) || /TOO_OFTEN|INVALID|ERR_RTM_NATIVE|ERR_RTM_EMULATOR/.test(name)) {
      // Rate limits are off and every argument is valid: none of these should happen.
      this.unexpected.push(text);
    }
  }

  get agents() {
    return this.services.flatMap((s) => s.agents);
  }

  async start() {
    for (const s of this.services) await s.start();
  }
}

module.exports = { World, APP_ID, FAULT_KINDS };
