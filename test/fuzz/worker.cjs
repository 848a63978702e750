'use strict';
// One fuzz child: a seeded, random interleaving of every public call of the package (from dist/)
// on in-process emulators, with valid and hostile arguments and emulator faults. Run by
// test/fuzz/run.cjs, which reads the one line this prints at the end ("FUZZ-REPORT {json}").
//
//   node test/fuzz/worker.cjs --seed S [--ms N] [--ops K]   run for N ms and/or K operations
//                      (--settle-ms M: how long the end waits for promises and objects, 4000)
//   node test/fuzz/worker.cjs --seed S --dry-run 200         print the first 200 planned operations
//   node test/fuzz/worker.cjs --seed S --ms N --self-test KIND
//                      plant one failure of KIND (foreign, unsettled, native, uncaught, live, crash,
//                      hang, noexit, sanitizer) to prove that the driver catches it
//
// Determinism: every random choice (which call, on which slot, with which arguments, how long to
// yield) is made by the planner from the seed alone, never from what the package answered, so a
// seed always plans the same sequence. Operations name slots (client 3, channel 1 of client 3,
// local invitation 5, emulator 2); what a slot holds when the operation runs depends on how
// earlier calls went, and an operation on an empty slot is skipped (counted).
//
// Checks, reported for the driver to judge:
// - foreign exceptions: a thrown or rejected value that is not an RtmError of the package
//   (well-formed: integer code, codeName, operation), nor a TypeError / RangeError of the
//   package's own argument checks ("op(): …"). An engine error (e.g. "Cannot read properties of
//   undefined") or a HostileError (thrown by this file's Proxies and getters) is accepted only
//   when the call had an exotic argument (a Proxy, an accessor, a revoked Proxy, a wrong `this`);
// - uncaught exceptions and unhandled rejections;
// - overdue promises: still pending past their safety timeout + 3 s while the run goes on;
// - unsettled promises: still pending after every client was released, every emulator stopped
//   and a bounded wait;
// - Emulator.liveObjectCount() after all that (must be 0);
// - ERR_RTM_NATIVE errors (the addon failed unexpectedly) for calls whose arguments were plain;
// - the shapes of some resolved values, 'error' events that are not RtmErrors (as foreign);
// - for information: threads left (the default service keeps a timer thread once a fault such
//   as dropConnection started it), peak RSS, and coverage (calls, results, events, states).
const path = require('node:path');

// ------------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const out = { seed: 1, ms: undefined, ops: undefined, dryRun: undefined, selfTest: undefined, settleMs: 4000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`worker: ${a} needs a value`);
      return v;
    };
    if (a === '--seed') out.seed = toSeed(next());
    else if (a === '--ms') out.ms = Number(next());
    else if (a === '--ops') out.ops = Number(next());
    else if (a === '--dry-run') out.dryRun = Number(next());
    else if (a === '--self-test') out.selfTest = next();
    else if (a === '--settle-ms') out.settleMs = Number(next());
    else throw new Error(`worker: unknown argument ${a}`);
  }
  if (out.ms === undefined && out.ops === undefined && out.dryRun === undefined) out.ms = 4000;
  return out;
}

function toSeed(text) {
  if (!/^\d+$/.test(String(text))) throw new Error(`worker: --seed must be a non-negative integer, got ${text}`);
  return Number(BigInt.asUintN(32, BigInt(text)));
}

// ------------------------------------------------------------------------------------------------
// PRNG (mulberry32) and the planner's random helpers

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Thrown by this file's hostile Proxies, getters and callbacks: a propagated user error. */
class HostileError extends Error {
  constructor(where) {
    super(`hostile: ${where}`);
    this.name = 'HostileError';
  }
}

const NE = 3; // emulator slots (plus Emulator.default, slot -1)
const NC = 6; // client slots
const NCH = 3; // channel slots per client
const NL = 6; // local invitation slots

const UIDS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
const CHANNELS = ['c0', 'c1', 'c2', 'lobby'];
const KEYS = ['k0', 'k1', 'k 2', 'key_3', '~!'];
const TEST_APP_ID = '0123456789abcdef0123456789abcdef';

// Shared big strings (built once).
const HUGE = 'x'.repeat(1 << 20);
const HUGE_EMOJI = '\u{1F600}'.repeat(1 << 18); // 1 MB of UTF-8
const T32768 = 'm'.repeat(32768);
const T32769 = 'm'.repeat(32769);
const T32767E = 'm'.repeat(32767) + '\u00e9'; // 32 769 bytes
const SURR_32769 = '\ud800'.repeat(10923); // lone surrogates: 3 bytes each in UTF-8
const T8192 = 'v'.repeat(8192);
const T8193 = 'v'.repeat(8193);
const T8191E = 'v'.repeat(8191) + '\u00e9'; // 8 193 bytes
const ID64 = 'a'.repeat(64);
const ID65 = 'a'.repeat(65);
const ID63E = 'a'.repeat(63) + '\u00e9';
const PUNCT = ' !#$%&()+-:;<=.>?@[]^_{}|~,';

/** Strings that are not valid ids (or are at their boundaries), with their descriptions. */
const ODD_STRINGS = [
  ['', '""'],
  ['null', '"null"'],
  [ID64, 'ID64'],
  [ID65, 'ID65'],
  [ID63E, 'ID63+e-acute'],
  [PUNCT, 'PUNCT'],
  ['a\0b', '"a\\0b"'],
  ['\0', '"\\0"'],
  ['\ud800', 'LONE_SURROGATE'],
  ['a\udc00b', 'LONE_SURROGATE_MID'],
  ['\u00fc', '"u-umlaut"'],
  ['\u{1F600}', 'EMOJI'],
  [' ', '" "'],
  ['\t', '"\\t"'],
  ['a/b', '"a/b"'],
  ['u0\n', '"u0\\n"'],
  [HUGE, 'HUGE_1MB'],
  [HUGE_EMOJI, 'HUGE_EMOJI_1MB'],
  [HUGE + '\0', 'HUGE_1MB+NUL'],
];

class Gen {
  constructor(seed) {
    this.rand = mulberry32(seed);
    /** Set when an argument just generated is exotic (Proxy, accessor, wrong this…). */
    this.exotic = false;
  }
  float() {
    return this.rand();
  }
  int(n) {
    return Math.floor(this.rand() * n);
  }
  chance(p) {
    return this.rand() < p;
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  /** [weight, value] pairs. */
  weighted(table) {
    let total = 0;
    for (const [w] of table) total += w;
    let x = this.rand() * total;
    for (const [w, v] of table) {
      x -= w;
      if (x < 0) return v;
    }
    return table[table.length - 1][1];
  }

  // --- hostile values ------------------------------------------------------------------------

  /** A value of a wrong type (or an exotic object): [value, description]. */
  hostile(role = 'value') {
    switch (this.int(30)) {
      case 0:
        return [undefined, 'undefined'];
      case 1:
        return [null, 'null'];
      case 2:
        return [this.pick([0, -1, 1.5, NaN, Infinity, -0, 2 ** 53, 2 ** 31]), 'number'];
      case 3:
        return [true, 'true'];
      case 4:
        return [this.chance(0.5) ? 1n : 2n ** 64n, 'bigint'];
      case 5:
        return [Symbol('fuzz'), 'symbol'];
      case 6:
        return [function fuzzFn() {}, 'function'];
      case 7:
        return [{}, '{}'];
      case 8:
        return [[], '[]'];
      case 9:
        return [[1, 2], '[1,2]'];
      // eslint-disable-next-line no-sparse-arrays
      case 10:
        return [[, 'u1', ,], '[hole,"u1",hole]'];
      case 11:
        return [new Array(5), 'Array(5)'];
      case 12:
        return [new Date(0), 'Date'];
      case 13:
        return [new Map([['k0', 'v']]), 'Map'];
      case 14:
        return [new Uint8Array(3), 'Uint8Array(3)'];
      case 15:
        return [Object.create(null), 'Object.create(null)'];
      case 16:
        return [
          {
            toString() {
              throw new HostileError('toString');
            },
            valueOf() {
              throw new HostileError('valueOf');
            },
            [Symbol.toPrimitive]() {
              throw new HostileError('toPrimitive');
            },
          },
          'throwing-toPrimitive',
        ];
      case 17:
        return [new String('u1'), 'String-object'];
      case 18:
        return [Promise.resolve('u1'), 'Promise'];
      case 19:
        return [class Fuzz {}, 'class'];
      case 20:
      case 21:
      case 22: {
        this.exotic = true;
        const trap = this.pick(['get', 'ownKeys', 'getOwnPropertyDescriptor', 'has', 'getPrototypeOf']);
        const target = this.chance(0.5) ? [] : {};
        return [throwingProxy(target, trap, role), `Proxy(${Array.isArray(target) ? '[]' : '{}'},throw:${trap})`];
      }
      case 23: {
        this.exotic = true;
        const r = Proxy.revocable(this.chance(0.5) ? [] : {}, {});
        r.revoke();
        return [r.proxy, 'revoked-Proxy'];
      }
      case 24: {
        this.exotic = true;
        return [accessorObject({}, 'uid', () => {
          throw new HostileError('getter');
        }), 'throwing-getter-object'];
      }
      case 25:
        return [Object.freeze({ uid: 'u1' }), 'frozen{uid}'];
      case 26: {
        const a = [];
        a.length = this.pick([100000, 2 ** 20]);
        return [a, `sparse-array(${a.length})`];
      }
      case 27:
        return [new Set(['u1']), 'Set'];
      case 28:
        return [/u1/, 'RegExp'];
      default:
        return [async () => {}, 'async-function'];
    }
  }

  // --- strings and ids -----------------------------------------------------------------------

  /** An odd string (not a valid id, or a boundary). */
  oddString() {
    return this.pick(ODD_STRINGS);
  }

  /** An emulator slot: mostly e0 (where most clients are), -1 for Emulator.default. */
  emuSlot(withDefault = true) {
    const x = this.float();
    if (x < 0.5) return 0;
    if (x < 0.7) return withDefault ? -1 : 0;
    return 1 + this.int(NE - 1);
  }

  /** How a client answers the invitations it receives. */
  answerPolicy() {
    return this.weighted([
      [3, 'none'],
      [3, 'accept'],
      [2, 'refuse'],
      [2, 'later'],
      [1, 'response'],
    ]);
  }

  /** A user id: mostly one of the pool. */
  uid() {
    const x = this.float();
    if (x < 0.8) {
      const u = this.pick(UIDS);
      return [u, JSON.stringify(u)];
    }
    if (x < 0.85) {
      const u = `r${this.int(1000)}`;
      return [u, JSON.stringify(u)];
    }
    if (x < 0.95) return this.oddString();
    return this.hostile('uid');
  }

  channelId() {
    const x = this.float();
    if (x < 0.85) {
      const c = this.pick(CHANNELS);
      return [c, JSON.stringify(c)];
    }
    if (x < 0.95) return this.oddString();
    return this.hostile('channelId');
  }

  /** Message text: mostly short, sometimes at or over the 32 KB limit or odd. */
  text() {
    const x = this.float();
    if (x < 0.6) {
      const t = `hello ${this.int(100)}`;
      return [t, JSON.stringify(t)];
    }
    return this.pick([
      ['', '""'],
      ['\u00fc\u{1F600}', '"non-ascii"'],
      ['\ud800', 'LONE_SURROGATE'],
      ['a\0b', '"a\\0b"'],
      [T32768, 'T32768'],
      [T32769, 'T32769'],
      [T32767E, 'T32767+e-acute'],
      [SURR_32769, 'SURROGATES_32769B'],
      [HUGE, 'HUGE_1MB'],
      [HUGE_EMOJI, 'HUGE_EMOJI_1MB'],
    ]);
  }

  /** Invitation content / channelId / response: at most 8 KB. */
  invitationText() {
    const x = this.float();
    if (x < 0.55) {
      const t = `call ${this.int(100)}`;
      return [t, JSON.stringify(t)];
    }
    if (x < 0.93) {
      return this.pick([
        ['', '""'],
        [T8192, 'T8192'],
        [T8193, 'T8193'],
        [T8191E, 'T8191+e-acute'],
        ['a\0b', '"a\\0b"'],
        ['\ud800\udc00\ud800', 'SURROGATES'],
        ['\u{1F600}'.repeat(2048), 'EMOJI_8192B'],
        [HUGE, 'HUGE_1MB'],
      ]);
    }
    return this.hostile('text');
  }

  token() {
    const x = this.float();
    if (x < 0.6) return ['tok-' + this.int(10), '"tok-N"'];
    if (x < 0.9) return this.oddString();
    return this.hostile('token');
  }

  // --- composite arguments -------------------------------------------------------------------

  /** An object built from `base` with one key mutated (hostile value, throwing getter, flip-flop…). */
  mutate(base, baseDesc, keys) {
    const x = this.float();
    if (x < 0.7) return [base, baseDesc];
    if (x < 0.8) {
      const key = this.pick(keys);
      const [v, d] = this.hostile(key);
      return [{ ...base, [key]: v }, `${baseDesc}+${key}=${d}`];
    }
    if (x < 0.85) return [{ ...base, bogusKey: 1 }, `${baseDesc}+bogusKey`];
    if (x < 0.9) {
      this.exotic = true;
      const key = this.pick(keys);
      return [accessorObject(base, key, () => {
        throw new HostileError(`getter ${key}`);
      }), `${baseDesc}+throwing-getter:${key}`];
    }
    if (x < 0.95) {
      // Valid on the first read, hostile on later ones (time of check vs time of use).
      this.exotic = true;
      const key = this.pick(keys);
      const [later, d] = this.chance(0.5) ? this.oddString() : this.hostile(key);
      let reads = 0;
      return [accessorObject(base, key, () => (reads++ === 0 ? base[key] : later)), `${baseDesc}+flip-flop:${key}->${d}`];
    }
    return this.hostile('object');
  }

  loginOptions() {
    const [uid, ud] = this.uid();
    const base = { uid };
    let desc = `{uid:${ud}`;
    if (this.chance(0.25)) {
      const [t, td] = this.chance(0.2) ? [null, 'null'] : this.token();
      base.token = t;
      desc += `,token:${td}`;
    }
    return this.mutate(base, desc + '}', ['uid', 'token']);
  }

  rawBytes() {
    switch (this.int(12)) {
      case 0:
        return [new Uint8Array([1, 2, 3]), 'u8[3]'];
      case 1:
        return [new Uint8Array(0), 'u8[0]'];
      case 2:
        return [new Uint8Array(32768), 'u8[32768]'];
      case 3:
        return [new Uint8Array(32769), 'u8[32769]'];
      case 4:
        return [new Uint8Array(1 << 20), 'u8[1MB]'];
      case 5:
        return [Buffer.from('buffer bytes'), 'Buffer'];
      case 6:
        return [Buffer.from('pooled slice of a buffer').subarray(3, 9), 'Buffer.subarray'];
      case 7: {
        const u = new Uint8Array(new ArrayBuffer(16));
        structuredClone(u.buffer, { transfer: [u.buffer] }); // detached: byteLength 0
        return [u, 'u8(detached)'];
      }
      case 8:
        return [new Uint8Array(new ArrayBuffer(8, { maxByteLength: 64 })), 'u8(resizable)'];
      case 9:
        return [new Uint8Array(new SharedArrayBuffer(8)), 'u8(shared)'];
      case 10:
        return [new Uint16Array(4), 'Uint16Array'];
      default:
        return [new DataView(new ArrayBuffer(4)), 'DataView'];
    }
  }

  message() {
    const x = this.float();
    if (x < 0.62) {
      const [t, td] = this.text();
      return this.mutate({ text: t }, `{text:${td}}`, ['text']);
    }
    if (x < 0.8) {
      const [raw, rd] = this.rawBytes();
      const m = { rawMessage: raw };
      let desc = `{raw:${rd}`;
      if (this.chance(0.6)) {
        const [d, dd] = this.chance(0.7) ? ['desc', '"desc"'] : this.text();
        m.description = d;
        desc += `,desc:${dd}`;
      }
      return this.mutate(m, desc + '}', ['rawMessage', 'description']);
    }
    if (x < 0.9) {
      return this.pick([
        [{ text: 'a', rawMessage: new Uint8Array(1) }, '{text+raw}'],
        [{ messageType: 'TEXT', text: 'typed' }, '{TEXT,text}'],
        [{ messageType: 'RAW', rawMessage: new Uint8Array(2), description: 'd' }, '{RAW,raw}'],
        [{ messageType: 'RAW', text: 'x' }, '{RAW,text}'],
        [{ messageType: 'TEXT', rawMessage: new Uint8Array(2) }, '{TEXT,raw}'],
        [{ messageType: 'IMAGE', text: 'x' }, '{IMAGE}'],
        [{ messageType: 7, text: 'x' }, '{messageType:7}'],
        [{}, '{}'],
        [{ text: 'x', extra: { deep: true } }, '{text,extra}'],
      ]);
    }
    return this.hostile('message');
  }

  sendOptions() {
    const x = this.float();
    if (x < 0.55) return [undefined, 'undefined'];
    if (x < 0.85) {
      const o = {};
      if (this.chance(0.7)) o.enableOfflineMessaging = this.chance(0.5);
      if (this.chance(0.3)) o.enableHistoricalMessaging = this.chance(0.5);
      return this.mutate(o, JSON.stringify(o), ['enableOfflineMessaging', 'enableHistoricalMessaging']);
    }
    return this.hostile('options');
  }

  /** An array of ids from `pool` (with boundaries: maxima, holes, duplicates, odd entries). */
  idArray(pool, limit) {
    const x = this.float();
    if (x < 0.6) {
      const n = this.int(5);
      const a = [];
      for (let i = 0; i < n; i++) a.push(this.pick(pool));
      return [a, JSON.stringify(a)];
    }
    if (x < 0.7) {
      const n = this.pick([limit, limit + 1, limit * 2 + 1]);
      const a = Array.from({ length: n }, (_, i) => `p${i}`);
      return [a, `ids(${n})`];
    }
    if (x < 0.8) {
      const a = [this.pick(pool)];
      const [odd, d] = this.chance(0.6) ? this.oddString() : this.hostile('id');
      a.push(odd);
      return [a, `[id,${d}]`];
    }
    if (x < 0.85) {
      // eslint-disable-next-line no-sparse-arrays
      return this.pick([
        [[, pool[0]], '[hole,id]'],
        [[pool[0], , pool[1]], '[id,hole,id]'],
        [new Array(3), 'Array(3)'],
        [[pool[0], pool[0]], '[dup,dup]'],
      ]);
    }
    if (x < 0.9) {
      this.exotic = true;
      const a = [pool[0], pool[1]];
      Object.defineProperty(a, 1, {
        get() {
          throw new HostileError('array index getter');
        },
        enumerable: true,
      });
      return [a, '[id,throwing-getter]'];
    }
    if (x < 0.93) {
      this.exotic = true;
      const a = [pool[0]];
      let reads = 0;
      Object.defineProperty(a, 0, { get: () => (reads++ === 0 ? pool[0] : 42), enumerable: true });
      return [a, '[flip-flop id->42]'];
    }
    return this.hostile('array');
  }

  attributeKey() {
    const x = this.float();
    if (x < 0.8) return [this.pick(KEYS), 'key'];
    return this.pick([
      ['', '""'],
      ['k'.repeat(32), 'K32'],
      ['k'.repeat(33), 'K33'],
      ['k\u00e9', 'non-ascii-key'],
      ['k\0', 'nul-key'],
      ['k\t', 'tab-key'],
      ['__proto__', '__proto__'],
      [HUGE, 'HUGE_1MB'],
    ]);
  }

  attributeValue() {
    const x = this.float();
    if (x < 0.75) return ['val' + this.int(10), 'val'];
    return this.pick([
      ['', '""'],
      [T8192, 'T8192'],
      [T8193, 'T8193'],
      [T8191E, 'T8191+e-acute'],
      ['a\0b', '"a\\0b"'],
      ['\ud800', 'LONE_SURROGATE'],
      [HUGE, 'HUGE_1MB'],
      [42, '42'],
      [null, 'null'],
    ]);
  }

  attributeMap() {
    const x = this.float();
    if (x < 0.8) {
      const n = this.chance(0.1) ? this.pick([32, 33, 40]) : this.int(4);
      const entries = [];
      let desc = '';
      for (let i = 0; i < n; i++) {
        const [k, kd] = n > 4 ? [`k${i}`, 'k'] : this.attributeKey();
        const [v, vd] = n > 4 ? [T8192.slice(0, 600), 'v600'] : this.attributeValue();
        entries.push([k, v]);
        desc += `${kd}=${vd},`;
      }
      if (this.chance(0.15)) return [new Map(entries), `Map{${desc}}`];
      const o = {};
      for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return this.mutate(o, `{${desc}}`, entries.length > 0 ? [entries[0][0]] : ['k0']);
    }
    return this.hostile('attributes');
  }

  keyArray() {
    const x = this.float();
    if (x < 0.75) {
      const n = this.int(4);
      const a = [];
      for (let i = 0; i < n; i++) a.push(this.attributeKey()[0]);
      return [a, `keys(${n})`];
    }
    if (x < 0.85) {
      // eslint-disable-next-line no-sparse-arrays
      return this.pick([
        [[, 'k0'], '[hole,k0]'],
        [['k0', 5], '[k0,5]'],
        [Array.from({ length: 40 }, (_, i) => `k${i}`), 'keys(40)'],
        [new Array(4), 'Array(4)'],
      ]);
    }
    return this.hostile('keys');
  }

  attributeOptions() {
    const x = this.float();
    if (x < 0.5) return [undefined, 'undefined'];
    if (x < 0.85) {
      const o = { enableNotificationToChannelMembers: this.chance(0.6) };
      return this.mutate(o, JSON.stringify(o), ['enableNotificationToChannelMembers']);
    }
    return this.hostile('options');
  }

  /** Limits for Emulator.start: short timers so that every answer comes within a few hundred ms. */
  limits() {
    const x = this.float();
    const l = this.shortTimers();
    if (x < 0.35) return [{ limits: { profile: 'unlimited', ...l } }, '{limits:unlimited+short}'];
    if (x < 0.7) return [{ limits: l }, '{limits:short}'];
    if (x < 0.78) return [{ limits: { profile: this.pick(['v1.2', 'linux-1.4']), rateLimits: this.chance(0.5), ...l } }, '{limits:profile+short}'];
    if (x < 0.82) return [undefined, 'undefined'];
    return this.pick([
      [{ limits: { bogus: 1 } }, '{limits:{bogus}}'],
      [{ limits: { loginTimeoutMs: -1 } }, '{loginTimeoutMs:-1}'],
      [{ limits: { loginTimeoutMs: 0 } }, '{loginTimeoutMs:0}'],
      [{ limits: { loginTimeoutMs: 1e300 } }, '{loginTimeoutMs:1e300}'],
      [{ limits: { loginTimeoutMs: 1n } }, '{loginTimeoutMs:1n}'],
      [{ limits: { login: { count: 1, windowMs: 0 } } }, '{login:{windowMs:0}}'],
      [{ limits: { profile: 'nope' } }, '{profile:nope}'],
      [{ limits: 'fast' }, '{limits:"fast"}'],
      [{ host: '127.0.0.1', port: 1 }, '{host,port}'],
      [{ appCertificate: 'x' }, '{appCertificate}'],
      [{ limits: { memberEventsMaxMembers: 1 } }, '{memberEventsMaxMembers:1}'],
      [{ limits: circular() }, '{limits:circular}'],
      [null, 'null'],
      this.hostile('options'),
    ]);
  }

  /** Every emulator timer short (1 ms … 900 ms). */
  shortTimers() {
    const timer = () => this.weighted([
      [1, 1],
      [2, 20],
      [6, 150],
      [6, 400],
      [2, 900],
    ]);
    const l = {};
    for (const key of [
      'loginTimeoutMs',
      'interruptedAfterMs',
      'unreachableAfterMs',
      'offlineAfterMs',
      'peerMessageTimeoutMs',
      'channelMessageTimeoutMs',
      'joinTimeoutMs',
      'getMembersTimeoutMs',
      'queryPeersOnlineStatusTimeoutMs',
      'subscribeTimeoutMs',
      'queryPeersBySubscriptionOptionTimeoutMs',
      'attributeTimeoutMs',
      'getChannelMemberCountTimeoutMs',
      'invitationAckTimeoutMs',
      'invitationExpireMs',
      'invitationAcceptAckTimeoutMs',
      'memberCountIntervalMs',
      'memberCountLargeIntervalMs',
    ]) {
      l[key] = timer();
    }
    return l;
  }

  /** createInstance options; `url` / `dropIn` are resolved when the call runs. */
  instanceOptions() {
    const x = this.float();
    const safety = this.safetyTimeouts();
    if (x < 0.8) {
      // The usual: the emulator backend on one of the slots' emulators, or the default one.
      const e = this.emuSlot();
      const o = { backend: 'emulator', _safetyTimeoutsMs: safety[0] };
      let desc = `{emulator,e${e},safety:${safety[1]}`;
      if (safety[0] === undefined) delete o._safetyTimeoutsMs;
      const extra = this.float();
      if (extra < 0.05) {
        o.logFile = this.pick(['/tmp/agora-rtm-fuzz.log', '/', '', 'rel/path.log']);
        desc += ',logFile';
      } else if (extra < 0.1) {
        o.logFileSize = this.pick([1024, 0, 1e9, 1.5, -1]);
        desc += `,logFileSize:${o.logFileSize}`;
      } else if (extra < 0.15) {
        o.logFilter = this.pick(['INFO', 'OFF', 'bogus', 3]);
        desc += `,logFilter:${o.logFilter}`;
      } else if (extra < 0.22) {
        o.parameters = this.pick([{ a: 1 }, '{"a":1}', 'not json', '[]', circular(), { big: 1n }, { 'rtm.emulator.url': 'inproc://nope' }]);
        desc += ',parameters';
      } else if (extra < 0.24) {
        // A small backlog mark makes 'Backlog' events (an unknown key where the option does not exist).
        o.backlogHighWaterMark = this.pick([1, 2, 50, 0, -1, 1.5, 'x']);
        desc += `,backlogHighWaterMark:${JSON.stringify(o.backlogHighWaterMark)}`;
      } else if (extra < 0.26) {
        o.sdkPath = '/nonexistent.so';
        desc += ',sdkPath';
      } else if (extra < 0.28) {
        o.emulator = this.pick(['inproc://nope', 'tcp://127.0.0.1:1', '', 'inproc://', 'inproc://default']);
        desc += `,emulator:${JSON.stringify(o.emulator)}`;
        return [(X) => o, desc + '}'];
      }
      desc += '}';
      return [(X) => (e >= 0 && X.emus[e] !== null ? { ...o, emulator: X.emus[e].url } : o), desc];
    }
    if (x < 0.86) {
      // The real SDK's loading path with the drop-in emulator library.
      const o = { backend: 'agora', _safetyTimeoutsMs: safety[0] };
      if (safety[0] === undefined) delete o._safetyTimeoutsMs;
      return [(X) => ({ ...o, sdkPath: X.dropInPath() }), '{agora,sdkPath:drop-in}'];
    }
    const [v, d] = this.pick([
      [{ backend: 'agora', sdkPath: '/nonexistent/libagora_rtm_sdk.so' }, '{agora,missing sdkPath}'],
      [{ backend: 'agora', sdkPath: '/dev/null' }, '{agora,/dev/null}'],
      [{ backend: 'agora', emulator: 'inproc://default' }, '{agora,emulator}'],
      [{ backend: 'bogus' }, '{backend:bogus}'],
      [{ backend: 5 }, '{backend:5}'],
      [{ sdkpath: 'x' }, '{sdkpath}'],
      [{ backend: 'emulator', _safetyTimeoutsMs: { login: 0 } }, '{safety login:0}'],
      [{ backend: 'emulator', _safetyTimeoutsMs: { bogus: 5 } }, '{safety bogus}'],
      [{ backend: 'emulator', _safetyTimeoutsMs: { login: 1.5 } }, '{safety 1.5}'],
      [undefined, 'undefined (env backend)'],
      [{}, '{} (env backend)'],
      this.hostile('options'),
    ]);
    return [() => v, d];
  }

  safetyTimeouts() {
    const x = this.float();
    if (x < 0.1) return [undefined, 'default'];
    const ms = this.pick([50, 300, 800, 1500]);
    const t = {};
    for (const op of SAFETY_OPS) t[op] = ms;
    if (x < 0.3) for (const op of SAFETY_OPS) t[op] = this.pick([1, 50, 300, 800, 1500]);
    return [t, x < 0.3 ? 'mixed' : String(ms)];
  }
}

const SAFETY_OPS = [
  'login',
  'logout',
  'renewToken',
  'sendMessageToPeer',
  'queryPeersOnlineStatus',
  'subscribePeersOnlineStatus',
  'unsubscribePeersOnlineStatus',
  'queryPeersBySubscriptionOption',
  'setLocalUserAttributes',
  'addOrUpdateLocalUserAttributes',
  'deleteLocalUserAttributesByKeys',
  'clearLocalUserAttributes',
  'getUserAttributes',
  'getUserAttributesByKeys',
  'join',
  'leave',
  'sendMessage',
  'getMembers',
  'setChannelAttributes',
  'addOrUpdateChannelAttributes',
  'deleteChannelAttributesByKeys',
  'clearChannelAttributes',
  'getChannelAttributes',
  'getChannelAttributesByKeys',
  'getChannelMemberCount',
  'invitation',
];

/** The package's default safety timeouts (lib/client.ts SAFETY_TIMEOUTS_MS), for the overdue check. */
const DEFAULT_SAFETY_MS = 15_000;

function throwingProxy(target, trap, role) {
  return new Proxy(target, {
    [trap]() {
      throw new HostileError(`${trap} trap (${role})`);
    },
  });
}

function accessorObject(base, key, get) {
  const o = {};
  for (const k of Object.keys(base)) {
    if (k !== key) o[k] = base[k];
  }
  Object.defineProperty(o, key, { get, enumerable: true, configurable: true });
  return o;
}

function circular() {
  const o = { a: 1 };
  o.self = o;
  return o;
}

// ------------------------------------------------------------------------------------------------
// The planner: operations as { k: kind, d: description, x: exotic, run(X) }

const CLIENT_EVENTS = ['ConnectionStateChanged', 'MessageFromPeer', 'PeersOnlineStatusChanged', 'TokenExpired', 'RemoteInvitationReceived', 'error', 'Backlog'];
const CHANNEL_EVENTS = ['ChannelMessage', 'MemberJoined', 'MemberLeft', 'AttributesUpdated', 'MemberCountUpdated'];
const LOCAL_EVENTS = ['LocalInvitationReceivedByPeer', 'LocalInvitationAccepted', 'LocalInvitationRefused', 'LocalInvitationCanceled', 'LocalInvitationFailure'];
const REMOTE_EVENTS = ['RemoteInvitationAccepted', 'RemoteInvitationRefused', 'RemoteInvitationCanceled', 'RemoteInvitationFailure'];

const CLIENT_METHODS = [
  'login',
  'logout',
  'renewToken',
  'sendMessageToPeer',
  'queryPeersOnlineStatus',
  'subscribePeersOnlineStatus',
  'unsubscribePeersOnlineStatus',
  'queryPeersBySubscriptionOption',
  'setLocalUserAttributes',
  'addOrUpdateLocalUserAttributes',
  'deleteLocalUserAttributesByKeys',
  'clearLocalUserAttributes',
  'getUserAttributes',
  'getUserAttributesByKeys',
  'createChannel',
  'setChannelAttributes',
  'addOrUpdateChannelAttributes',
  'deleteChannelAttributesByKeys',
  'clearChannelAttributes',
  'getChannelAttributes',
  'getChannelAttributesByKeys',
  'getChannelMemberCount',
  'createLocalInvitation',
  'setParameters',
  'setLogFile',
  'setLogFilter',
  'setLogFileSize',
  'release',
  'ref',
  'unref',
];

/** Builders of one operation, with their weights. `depth` > 0 inside a listener. */
const OPS = [
  // --- emulators ---
  [1.2, 'emuStart', (g) => {
    const e = g.emuSlot(false);
    const [opts, d] = g.limits();
    return { d: `e${e} ${d}`, run: (X) => X.emuStart(e, opts) };
  }],
  [0.4, 'emuStop', (g) => {
    const e = g.int(NE + 1) - 1;
    const dispose = g.chance(0.3);
    return { d: `e${e}${dispose ? ' asyncDispose' : ''}`, run: (X) => X.onEmu(e, dispose ? 'Emulator[asyncDispose]' : 'Emulator.stop', (emu) => (dispose ? emu[Symbol.asyncDispose]() : emu.stop())) };
  }],
  [6, 'emuFault', (g) => {
    const e = g.emuSlot();
    const what = g.pick(['kick', 'dropConnection', 'dropConnection', 'restoreConnection', 'restoreConnection', 'expireToken', 'setInvitationAutoAck', 'users']);
    const [uid, ud] = g.uid();
    const [flag, fd] = g.chance(0.9) ? [g.chance(0.5), 'bool'] : g.hostile('enabled');
    return {
      d: `e${e} ${what}(${ud}${what === 'setInvitationAutoAck' ? `,${fd}` : ''})`,
      run: (X) => X.onEmu(e, `Emulator.${what}`, (emu) => (what === 'users' ? emu.users() : what === 'setInvitationAutoAck' ? emu.setInvitationAutoAck(uid, flag) : emu[what](uid))),
    };
  }],
  [0.5, 'emuStatic', (g) => {
    const what = g.pick(['liveObjectCount', 'default.users', 'emulatorLibraryPath']);
    return { d: what, run: (X) => X.call(`Emulator.${what}`, () => (what === 'liveObjectCount' ? X.Emulator.liveObjectCount() : what === 'default.users' ? X.Emulator.default.users() : X.emulatorMod.emulatorLibraryPath())) };
  }],
  // --- clients ---
  [4, 'create', (g) => {
    const c = g.int(NC);
    const [appId, ad] = g.chance(0.9) ? [TEST_APP_ID, 'TEST_APP_ID'] : g.chance(0.5) ? g.pick([['', '""'], ['short', '"short"'], ['x'.repeat(33), 'x33'], ['a\0'.repeat(16), 'nul32'], [HUGE, 'HUGE_1MB']]) : g.hostile('appId');
    const [opts, od] = g.instanceOptions();
    const releaseOld = g.chance(0.6);
    const policy = g.answerPolicy();
    return { d: `c${c} ${ad} ${od} answers:${policy}${releaseOld ? ' (release old)' : ''}`, run: (X) => X.create(c, appId, opts, releaseOld, policy) };
  }],
  [1.5, 'release', (g) => {
    const c = g.int(NC);
    const dispose = g.chance(0.3);
    return { d: `c${c}${dispose ? ' asyncDispose' : ''}`, run: (X) => X.onClient(c, dispose ? 'client[asyncDispose]' : 'release', (cl) => (dispose ? cl[Symbol.asyncDispose]() : cl.release())) };
  }],
  [7, 'login', (g) => {
    const c = g.int(NC);
    const [opts, d] = g.loginOptions();
    return { d: `c${c} ${d}`, run: (X) => X.onClient(c, 'login', (cl) => cl.login(opts)) };
  }],
  [2.5, 'logout', (g) => {
    const c = g.int(NC);
    return { d: `c${c}`, run: (X) => X.onClient(c, 'logout', (cl) => cl.logout()) };
  }],
  [1.5, 'renewToken', (g) => {
    const c = g.int(NC);
    const [t, d] = g.token();
    return { d: `c${c} ${d}`, run: (X) => X.onClient(c, 'renewToken', (cl) => cl.renewToken(t)) };
  }],
  [5, 'sendMessageToPeer', (g) => {
    const c = g.int(NC);
    const [m, md] = g.message();
    const [peer, pd] = g.uid();
    const [o, od] = g.sendOptions();
    const nArgs = g.chance(0.9) ? 3 : g.int(3);
    return { d: `c${c} ${md} ${pd} ${od} args:${nArgs}`, run: (X) => X.onClient(c, 'sendMessageToPeer', (cl) => (nArgs === 3 ? cl.sendMessageToPeer(m, peer, o) : nArgs === 2 ? cl.sendMessageToPeer(m, peer) : nArgs === 1 ? cl.sendMessageToPeer(m) : cl.sendMessageToPeer())) };
  }],
  [3, 'presence', (g) => {
    const c = g.int(NC);
    const what = g.pick(['queryPeersOnlineStatus', 'subscribePeersOnlineStatus', 'subscribePeersOnlineStatus', 'unsubscribePeersOnlineStatus']);
    const [ids, d] = g.idArray(UIDS, what === 'queryPeersOnlineStatus' ? 256 : 512);
    return { d: `c${c} ${what}(${d})`, run: (X) => X.onClient(c, what, (cl) => cl[what](ids)) };
  }],
  [0.7, 'queryPeersBySubscriptionOption', (g) => {
    const c = g.int(NC);
    const [o, d] = g.chance(0.8) ? ['ONLINE_STATUS', 'ONLINE_STATUS'] : g.chance(0.5) ? ['online_status', '"online_status"'] : g.hostile('option');
    return { d: `c${c} ${d}`, run: (X) => X.onClient(c, 'queryPeersBySubscriptionOption', (cl) => cl.queryPeersBySubscriptionOption(o)) };
  }],
  [4, 'userAttributes', (g) => {
    const c = g.int(NC);
    const what = g.pick(['setLocalUserAttributes', 'addOrUpdateLocalUserAttributes', 'deleteLocalUserAttributesByKeys', 'clearLocalUserAttributes', 'getUserAttributes', 'getUserAttributesByKeys']);
    let args;
    let d;
    if (what === 'deleteLocalUserAttributesByKeys') [args, d] = wrap(g.keyArray());
    else if (what === 'clearLocalUserAttributes') [args, d] = [[], ''];
    else if (what === 'getUserAttributes') [args, d] = wrap(g.uid());
    else if (what === 'getUserAttributesByKeys') {
      const [u, ud] = g.uid();
      const [k, kd] = g.keyArray();
      [args, d] = [[u, k], `${ud},${kd}`];
    } else [args, d] = wrap(g.attributeMap());
    return { d: `c${c} ${what}(${d})`, run: (X) => X.onClient(c, what, (cl) => cl[what](...args)) };
  }],
  [4, 'createChannel', (g) => {
    const c = g.int(NC);
    const k = g.int(NCH);
    const [id, d] = g.channelId();
    return { d: `c${c} ch${k} ${d}`, run: (X) => X.onClient(c, 'createChannel', (cl, slot) => {
      const ch = cl.createChannel(id);
      slot.channels[k] = ch;
      X.watch(ch, CHANNEL_EVENTS);
      return ch;
    }) };
  }],
  [10, 'channel', (g) => {
    const c = g.int(NC);
    const k = g.int(NCH);
    const what = g.weighted([
      [4, 'join'],
      [2, 'leave'],
      [3, 'sendMessage'],
      [1.5, 'getMembers'],
      [0.6, 'release'],
      [0.2, 'asyncDispose'],
    ]);
    let args = [];
    let d = '';
    if (what === 'sendMessage') {
      const [m, md] = g.message();
      const [o, od] = g.sendOptions();
      args = [m, o];
      d = `${md} ${od}`;
    }
    return { d: `c${c} ch${k} ${what} ${d}`, run: (X) => X.onChannel(c, k, `channel.${what}`, (ch) => (what === 'asyncDispose' ? ch[Symbol.asyncDispose]() : ch[what](...args))) };
  }],
  [4, 'channelAttributes', (g) => {
    const c = g.int(NC);
    const what = g.pick(['setChannelAttributes', 'addOrUpdateChannelAttributes', 'deleteChannelAttributesByKeys', 'clearChannelAttributes', 'getChannelAttributes', 'getChannelAttributesByKeys']);
    const [id, idd] = g.channelId();
    let args = [id];
    let d = idd;
    if (what === 'setChannelAttributes' || what === 'addOrUpdateChannelAttributes') {
      const [a, ad] = g.attributeMap();
      const [o, od] = g.attributeOptions();
      args.push(a, o);
      d += ` ${ad} ${od}`;
    } else if (what === 'deleteChannelAttributesByKeys') {
      const [k, kd] = g.keyArray();
      const [o, od] = g.attributeOptions();
      args.push(k, o);
      d += ` ${kd} ${od}`;
    } else if (what === 'clearChannelAttributes') {
      const [o, od] = g.attributeOptions();
      args.push(o);
      d += ` ${od}`;
    } else if (what === 'getChannelAttributesByKeys') {
      const [k, kd] = g.keyArray();
      args.push(k);
      d += ` ${kd}`;
    }
    return { d: `c${c} ${what}(${d})`, run: (X) => X.onClient(c, what, (cl) => cl[what](...args)) };
  }],
  [1.2, 'getChannelMemberCount', (g) => {
    const c = g.int(NC);
    const [ids, d] = g.idArray(CHANNELS, 32);
    return { d: `c${c} ${d}`, run: (X) => X.onClient(c, 'getChannelMemberCount', (cl) => cl.getChannelMemberCount(ids)) };
  }],
  // --- invitations ---
  [3, 'createLocalInvitation', (g) => {
    const c = g.int(NC);
    const l = g.int(NL);
    const [callee, d] = g.uid();
    return { d: `c${c} l${l} ${d}`, run: (X) => X.onClient(c, 'createLocalInvitation', (cl, slot) => {
      const inv = cl.createLocalInvitation(callee);
      slot.locals.add(inv);
      X.locals[l] = inv;
      X.watch(inv, LOCAL_EVENTS);
      return inv;
    }) };
  }],
  [7, 'local', (g) => {
    const l = g.int(NL);
    const what = g.weighted([
      [2, 'content='],
      [1, 'channelId='],
      [4, 'send'],
      [2, 'cancel'],
      [1, 'read'],
      [0.3, 'drop'],
    ]);
    const [text, d] = g.invitationText();
    return {
      d: `l${l} ${what} ${what.endsWith('=') ? d : ''}`,
      run: (X) => X.onLocal(l, `LocalInvitation.${what}`, (inv) => {
        switch (what) {
          case 'content=':
            inv.content = text;
            return undefined;
          case 'channelId=':
            inv.channelId = text;
            return undefined;
          case 'send':
            return inv.send();
          case 'cancel':
            return inv.cancel();
          case 'drop':
            X.locals[l] = null; // let the FinalizationRegistry have it
            return undefined;
          default:
            return [inv.calleeId, inv.content, inv.channelId, inv.response, inv.state];
        }
      }),
    };
  }],
  [5, 'remote', (g) => {
    const c = g.int(NC);
    const r = g.int(8);
    const what = g.weighted([
      [2, 'response='],
      [3, 'accept'],
      [2, 'refuse'],
      [1, 'read'],
    ]);
    const [text, d] = g.invitationText();
    return {
      d: `c${c} r${r} ${what} ${what === 'response=' ? d : ''}`,
      run: (X) => X.onRemote(c, r, `RemoteInvitation.${what}`, (inv) => {
        switch (what) {
          case 'response=':
            inv.response = text;
            return undefined;
          case 'accept':
            return inv.accept();
          case 'refuse':
            return inv.refuse();
          default:
            return [inv.callerId, inv.content, inv.channelId, inv.response, inv.state];
        }
      }),
    };
  }],
  // --- short scenarios: the deeper paths (a joined channel, a call answered) ---
  [3, 'channelFlow', (g) => {
    const c = g.int(NC);
    const k = g.int(NCH);
    const [id, idd] = g.chance(0.9) ? [g.pick(CHANNELS), 'pool'] : g.channelId();
    const [m, md] = g.chance(0.8) ? [{ text: `flow ${g.int(100)}` }, '{text}'] : g.message();
    const then = g.pick(['send', 'send', 'members', 'leave', 'sendLeave', 'sendRelease']);
    return {
      d: `c${c} ch${k} ${idd} join then ${then} ${md}`,
      run: (X) => X.channelFlow(c, k, id, m, then),
    };
  }],
  [2, 'pairFlow', (g) => {
    const a = g.int(NC);
    const b = (a + 1 + g.int(NC - 1)) % NC;
    const k = g.int(NCH);
    const id = g.pick(CHANNELS);
    const n = g.pick([1, 5, 50]);
    const then = g.pick(['none', 'leave', 'release', 'logout', 'attributes']);
    return {
      d: `c${a}+c${b} ch${k} ${JSON.stringify(id)} ${n} messages then ${then}`,
      run: (X) => X.pairFlow(a, b, k, id, n, then),
    };
  }],
  [3, 'inviteFlow', (g) => {
    const c = g.int(NC);
    const l = g.int(NL);
    const [callee, cd] = g.chance(0.9) ? [g.pick(UIDS), 'pool'] : g.uid();
    const [content, td] = g.chance(0.8) ? ['ring', '"ring"'] : g.invitationText();
    const after = g.pick(['none', 'none', 'cancelOnReceipt', 'cancelNow', 'cancelLater']);
    return {
      d: `c${c} l${l} callee:${cd} content:${td} ${after}`,
      run: (X) => X.inviteFlow(c, l, callee, content, after),
    };
  }],
  [1, 'burst', (g) => {
    const c = g.int(NC);
    const k = g.int(NCH);
    const [peer] = [g.pick(UIDS)];
    const n = g.pick([20, 100, 400]);
    const where = g.pick(['peer', 'peer', 'channel', 'attributes']);
    const size = g.pick([1, 1000, 32768]);
    return {
      d: `c${c} ${n}x ${where} ${peer} ${size}B`,
      run: (X) => {
        const text = 'b'.repeat(size);
        for (let i = 0; i < n; i++) {
          if (where === 'peer') X.onClient(c, 'sendMessageToPeer', (cl) => cl.sendMessageToPeer({ text }, peer));
          else if (where === 'channel') X.onChannel(c, k, 'channel.sendMessage', (ch) => ch.sendMessage({ text }));
          else X.onClient(c, 'addOrUpdateLocalUserAttributes', (cl) => cl.addOrUpdateLocalUserAttributes({ [`k${i % 32}`]: text.slice(0, 8192) }));
        }
      },
    };
  }],
  // --- settings ---
  [1.5, 'settings', (g) => {
    const c = g.int(NC);
    const what = g.pick(['setParameters', 'setLogFile', 'setLogFilter', 'setLogFileSize', 'ref', 'unref', 'connectionState', 'pendingEvents']);
    let arg;
    let d = '';
    if (what === 'setParameters') {
      [arg, d] = g.chance(0.8)
        ? g.pick([
            [{ a: 1 }, '{a:1}'],
            ['{"a":1}', '"{a:1}"'],
            ['not json', 'not-json'],
            ['[1]', '"[1]"'],
            ['{"rtm.emulator.url":"inproc://default"}', 'url=default'],
            [{ 'rtm.emulator.url': 5 }, 'url=5'],
            [circular(), 'circular'],
            [{ big: 1n }, '{big:1n}'],
            ['{"a":"\\u0000"}', 'json-with-escaped-NUL'],
            ['{"a":1}\0', 'json+NUL'],
          ])
        : g.hostile('params');
    } else if (what === 'setLogFile') {
      [arg, d] = g.chance(0.6) ? g.pick([['/tmp/agora-rtm-fuzz.log', 'tmp-path'], ['/', '"/"'], ['relative.log', 'relative']]) : g.chance(0.5) ? g.oddString() : g.hostile('path');
    } else if (what === 'setLogFilter') {
      [arg, d] = g.chance(0.7) ? g.pick([['INFO', 'INFO'], ['OFF', 'OFF'], ['CRITICAL', 'CRITICAL'], ['info', 'info']]) : g.hostile('filter');
    } else if (what === 'setLogFileSize') {
      [arg, d] = g.chance(0.7) ? g.pick([[1024, '1024'], [1, '1'], [0, '0'], [2 ** 31, '2^31'], [1e6, '1e6'], [0.5, '0.5']]) : g.hostile('kb');
    }
    return {
      d: `c${c} ${what} ${d}`,
      run: (X) =>
        X.onClient(c, what, (cl) =>
          what === 'connectionState' ? X.checkState(cl.connectionState) : what === 'pendingEvents' ? X.checkPendingEvents(cl) : what === 'ref' || what === 'unref' ? cl[what]() : cl[what](arg),
        ),
    };
  }],
  [0.4, 'getSdkVersion', (g) => {
    const [o, d] = g.pick([
      [{ backend: 'emulator' }, '{emulator}'],
      [{ backend: 'agora', sdkPath: '/nonexistent.so' }, '{agora,missing}'],
      [undefined, 'undefined'],
      [{ backend: 'emulator', emulator: 'inproc://default' }, '{emulator,url}'],
      g.hostile('options'),
    ]);
    return { d, run: (X) => X.call('getSdkVersion', () => X.pkg.getSdkVersion(o)) };
  }],
  [0.3, 'env', (g) => {
    const name = g.pick(['AGORA_RTM_BACKEND', 'AGORA_RTM_EMULATOR', 'AGORA_RTM_SDK_PATH']);
    const value = g.pick({
      AGORA_RTM_BACKEND: ['emulator', 'emulator', 'agora', 'bogus', '', null],
      AGORA_RTM_EMULATOR: ['inproc://default', 'inproc://nope', 'tcp://127.0.0.1:1', '', null, 'slot'],
      AGORA_RTM_SDK_PATH: ['/nonexistent.so', '', null, 'drop-in'],
    }[name]);
    return {
      d: `${name}=${JSON.stringify(value)}`,
      run: (X) => {
        let v = value;
        if (v === 'slot') v = X.emus.find((e) => e !== null)?.url ?? 'inproc://default';
        if (v === 'drop-in') v = X.dropInPath();
        if (v === null) delete process.env[name];
        else process.env[name] = v;
      },
    };
  }],
  // --- re-entrancy, misuse, helpers ---
  [3.5, 'listen', (g, depth) => {
    if (depth > 0) return null;
    const target = g.weighted([
      [4, 'client'],
      [2, 'channel'],
      [1.5, 'local'],
      [1.5, 'remote'],
    ]);
    const c = g.int(NC);
    const k = target === 'local' ? g.int(NL) : g.int(target === 'remote' ? 8 : NCH);
    const event = g.pick({ client: CLIENT_EVENTS, channel: CHANNEL_EVENTS, local: LOCAL_EVENTS, remote: REMOTE_EVENTS }[target]);
    const sub = g.chance(0.5) ? reentrant(g, target, c, k) : plan(g, depth + 1);
    return {
      d: `${target} c${c} #${k} once ${event} -> [${sub.k} ${sub.d}]`,
      x: sub.x,
      run: (X) => X.listen(target, c, k, event, sub),
    };
  }],
  [0.5, 'wrongThis', (g) => {
    const cls = g.pick(['RtmClient', 'RtmChannel', 'LocalInvitation', 'RemoteInvitation', 'Emulator']);
    const name = cls === 'RtmClient' ? g.pick(CLIENT_METHODS) : g.pick({ RtmChannel: ['join', 'leave', 'sendMessage', 'getMembers', 'release'], LocalInvitation: ['send', 'cancel', 'content', 'state'], RemoteInvitation: ['accept', 'refuse', 'response', 'state'], Emulator: ['kick', 'users', 'stop', 'dropConnection'] }[cls]);
    const recv = g.pick(['{}', 'null', 'other-class', 'prototype']);
    g.exotic = true;
    return {
      d: `${cls}.prototype.${name} on ${recv}`,
      run: (X) => X.call(`wrongThis ${cls}.${name}`, () => {
        const proto = X.pkg[cls].prototype;
        const r = recv === '{}' ? {} : recv === 'null' ? null : recv === 'prototype' ? proto : X.anyObjectNot(cls);
        const desc = Object.getOwnPropertyDescriptor(proto, name);
        if (desc === undefined) return undefined;
        return desc.get !== undefined ? desc.get.call(r) : desc.value.call(r, 'u1');
      }),
    };
  }],
  [0.6, 'waitForEvent', (g) => {
    const c = g.int(NC);
    const event = g.chance(0.8) ? g.pick(CLIENT_EVENTS) : 'NoSuchEvent';
    const timeoutMs = g.pick([1, 20, 100, 300]);
    const filter = g.pick(['none', 'true', 'throws']);
    if (filter === 'throws') g.exotic = true;
    return {
      d: `c${c} ${event} ${timeoutMs}ms filter:${filter}`,
      run: (X) => X.onClient(c, 'waitForEvent', (cl) => X.testing.waitForEvent(cl, event, {
        timeoutMs,
        filter: filter === 'none' ? undefined : filter === 'true' ? () => true : () => {
          throw new HostileError('filter');
        },
      })),
    };
  }],
  [0.3, 'withEmulator', (g) => {
    const [uid, ud] = g.uid();
    const [m, md] = g.message();
    const throwInside = g.chance(0.2);
    if (throwInside) g.exotic = true;
    const [limits, ld] = g.limits();
    return {
      d: `uid:${ud} msg:${md} limits:${ld} throw:${throwInside}`,
      run: (X) => X.call('withEmulator', () => X.testing.withEmulator(async (emu, fixture) => {
        const a = fixture.createClient({ _safetyTimeoutsMs: SHORT_SAFETY });
        const b = fixture.createClient({ _safetyTimeoutsMs: SHORT_SAFETY });
        X.adopt(a);
        X.adopt(b);
        const id = X.testing.uniqueId('w');
        await Promise.allSettled([a.login({ uid }), b.login({ uid: id })]);
        await Promise.allSettled([a.sendMessageToPeer(m, id), emu.kick(id) && a.logout()]);
        if (throwInside) throw new HostileError('withEmulator fn');
        return emu.users();
      }, limits)),
    };
  }],
  [0.5, 'gc', () => ({ d: '', run: (X) => X.gc() })],
  [0.5, 'workerThread', (g) => {
    const ms = g.pick([0, 5, 50, 300]);
    const n = g.pick([1, 3]);
    const end = g.pick(['terminate', 'terminate', 'exit', 'release']);
    const base = g.int(1000);
    return { d: `${n} clients, ${end} after ${ms} ms`, run: (X) => X.workerThread(ms, n, end, base) };
  }],
  [0.8, 'dropClient', (g) => {
    const c = g.int(NC);
    return { d: `c${c}`, run: (X) => X.dropClient(c) };
  }],
];

/** A call on the very objects whose event is being dispatched (or on their emulator). */
function reentrant(g, target, c, k) {
  const what = g.pick(['release', 'release', 'logout', 'login', 'emuStop', 'kickAll', 'dropConnection', 'channelRelease', 'channelLeave', 'answer', 'cancel', 'createChannelJoin']);
  const uid = g.pick(UIDS);
  return {
    k: 'reentrant',
    d: `${what} on c${c} #${k}`,
    x: false,
    run: (X) => {
      const slot = X.clients[c];
      switch (what) {
        case 'release':
          return X.onClient(c, 'release', (cl) => cl.release());
        case 'logout':
          return X.onClient(c, 'logout', (cl) => cl.logout());
        case 'login':
          return X.onClient(c, 'login', (cl) => cl.login({ uid }));
        case 'emuStop':
          return X.onEmu(0, 'Emulator.stop', (emu) => emu.stop());
        case 'kickAll':
          return X.onEmu(0, 'Emulator.kick', (emu) => UIDS.map((u) => emu.kick(u)));
        case 'dropConnection':
          return X.onEmu(0, 'Emulator.dropConnection', (emu) => emu.dropConnection(uid));
        case 'channelRelease':
          return X.onChannel(c, k % NCH, 'channel.release', (ch) => ch.release());
        case 'channelLeave':
          return X.onChannel(c, k % NCH, 'channel.leave', (ch) => ch.leave());
        case 'answer':
          return X.onRemote(c, k, 'RemoteInvitation.accept', (inv) => inv.accept());
        case 'cancel':
          return X.onLocal(k % NL, 'LocalInvitation.cancel', (inv) => inv.cancel());
        default:
          if (slot === null) return undefined;
          return X.channelFlow(c, k % NCH, 'c0', { text: 'reentrant' }, 'send');
      }
    },
  };
}

const ANSWER_OPS = Object.fromEntries(
  ['accept', 'refuse', 'later', 'response'].map((p) => [p, { k: 'answer', d: p, x: false }]),
);

const SHORT_SAFETY = Object.fromEntries(SAFETY_OPS.map((op) => [op, 500]));

const TOTAL_WEIGHT = OPS.reduce((s, [w]) => s + w, 0);

function wrap([v, d]) {
  return [[v], d];
}

/**
 * The first operations of every run: two emulators, then every client slot filled and logged in
 * (arguments still from the PRNG), so that the random part starts with something to act on.
 */
function prologue(g, i) {
  if (i < 2) {
    const [opts, d] = i === 0 ? [{ limits: { profile: 'unlimited', ...g.shortTimers() } }, '{limits:unlimited+short}'] : g.limits();
    return { k: 'emuStart', d: `e${i} ${d}`, x: false, pause: -1, run: (X) => X.emuStart(i, opts) };
  }
  const j = i - 2;
  const c = j >> 1;
  if (c >= NC) return null;
  if ((j & 1) === 0) {
    const e = c < 4 ? 0 : c === 4 ? -1 : 1;
    const safety = g.safetyTimeouts()[0] ?? SHORT_SAFETY;
    const policy = g.answerPolicy();
    const opts = { backend: 'emulator', _safetyTimeoutsMs: safety };
    return {
      k: 'create',
      d: `c${c} TEST_APP_ID {emulator,e${e}} answers:${policy}`,
      x: false,
      pause: 0,
      run: (X) => X.create(c, TEST_APP_ID, () => (e >= 0 && X.emus[e] !== null ? { ...opts, emulator: X.emus[e].url } : opts), true, policy),
    };
  }
  const uid = UIDS[c];
  return { k: 'login', d: `c${c} {uid:${JSON.stringify(uid)}}`, x: false, pause: 0, run: (X) => X.onClient(c, 'login', (cl) => cl.login({ uid })) };
}

/** The operations of a run, in order: the prologue, then random ones. */
class Planner {
  constructor(seed) {
    this.g = new Gen(seed);
    this.i = 0;
  }
  next() {
    const i = this.i++;
    const first = prologue(this.g, i);
    return first ?? plan(this.g);
  }
}

/** The next operation, and the pause after it: both from the PRNG only. */
function plan(g, depth = 0) {
  for (;;) {
    let x = g.float() * TOTAL_WEIGHT;
    let chosen = OPS[OPS.length - 1];
    for (const entry of OPS) {
      x -= entry[0];
      if (x < 0) {
        chosen = entry;
        break;
      }
    }
    g.exotic = false;
    const op = chosen[2](g, depth);
    if (op === null) continue;
    op.k = chosen[1];
    op.x = op.x === true || g.exotic;
    if (depth === 0) {
      const p = g.float();
      op.pause = p < 0.7 ? 0 : p < 0.95 ? -1 /* setImmediate */ : p < 0.997 ? 1 + g.int(10) : 50 + g.int(200);
    }
    return op;
  }
}

// ------------------------------------------------------------------------------------------------
// Dry run: print the plan

function dryRun(seed, n) {
  const planner = new Planner(seed);
  const lines = [];
  for (let i = 0; i < n; i++) {
    const op = planner.next();
    lines.push(`${i} ${op.k} ${op.d}${op.x ? ' [exotic]' : ''} pause:${op.pause}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

// ------------------------------------------------------------------------------------------------
// The executor

const PKG_MESSAGE = /^[A-Za-z_][\w.[\]]*\(\): /;
const SAMPLES = 8;

class Executor {
  constructor(pkg, emulatorMod, testing) {
    this.pkg = pkg;
    this.emulatorMod = emulatorMod;
    this.testing = testing;
    this.Emulator = emulatorMod.Emulator;
    this.emus = new Array(NE).fill(null);
    this.allEmus = [];
    this.clients = new Array(NC).fill(null);
    this.allClients = [];
    /** WeakRefs of dropped clients. */
    this.dropped = [];
    /** Worker threads still running. */
    this.workers = new Set();
    this.locals = new Array(NL).fill(null);
    this.tracked = [];
    this.current = null;
    this.dropIn = undefined;
    this.r = {
      calls: 0,
      skipped: 0,
      byCall: {},
      syncThrows: {},
      rejections: {},
      resolved: {},
      foreign: 0,
      foreignSamples: [],
      nativeErrors: 0,
      nativeSamples: [],
      /** Engine errors accepted because the call had an exotic argument: distinct messages, for review. */
      exoticEngineSamples: [],
      uncaught: 0,
      uncaughtSamples: [],
      overdue: 0,
      overdueSamples: [],
      unsettled: 0,
      unsettledSamples: [],
      liveObjects: -1,
      events: {},
      states: {},
      warnings: {},
    };
  }

  // --- calls and their outcomes ----------------------------------------------------------------

  /** Makes one API call: counts it, classifies a synchronous throw, tracks a returned promise. */
  call(name, thunk, timeoutMs) {
    const op = this.current;
    const exotic = op !== null && op.x;
    this.r.calls += 1;
    this.r.byCall[name] = (this.r.byCall[name] ?? 0) + 1;
    let result;
    try {
      result = thunk();
    } catch (err) {
      this.outcome('sync', name, err, exotic, op);
      return undefined;
    }
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      this.track(name, result, exotic, op, timeoutMs);
    }
    return result;
  }

  track(name, promise, exotic, op, timeoutMs) {
    const rec = { name, op: op === null ? '?' : `${op.k} ${op.d}`.slice(0, 200), t0: Date.now(), deadline: Date.now() + (timeoutMs ?? 1000) + 3000, settled: false, overdue: false };
    this.tracked.push(rec);
    promise.then(
      (value) => {
        rec.settled = true;
        this.r.resolved[name] = (this.r.resolved[name] ?? 0) + 1;
        this.checkValue(name, value, rec);
      },
      (err) => {
        rec.settled = true;
        this.outcome('reject', name, err, exotic, op);
      },
    );
  }

  outcome(how, name, err, exotic, op) {
    const bucket = how === 'sync' ? this.r.syncThrows : this.r.rejections;
    const { key, foreign } = this.classify(err, exotic);
    bucket[key] = (bucket[key] ?? 0) + 1;
    if (foreign !== null) {
      this.r.foreign += 1;
      if (this.r.foreignSamples.length < SAMPLES) this.r.foreignSamples.push(sample(foreign, how, name, err, op));
    } else if (key.endsWith('(engine)') && this.r.exoticEngineSamples.length < 20) {
      const message = `${err.name}: ${String(err.message).slice(0, 160)}`;
      if (!this.r.exoticEngineSamples.some((x) => x.message === message)) {
        this.r.exoticEngineSamples.push({ message, call: name, op: op === null ? undefined : `${op.k} ${op.d}`.slice(0, 160) });
      }
    } else if (err instanceof this.pkg.RtmError && err.codeName === 'ERR_RTM_NATIVE' && !exotic) {
      this.r.nativeErrors += 1;
      if (this.r.nativeSamples.length < SAMPLES) this.r.nativeSamples.push(sample('ERR_RTM_NATIVE for plain arguments', how, name, err, op));
    }
  }

  classify(err, exotic) {
    const { RtmError } = this.pkg;
    if (err instanceof RtmError) {
      const ok =
        Number.isInteger(err.code) &&
        typeof err.codeName === 'string' &&
        err.codeName.length > 0 &&
        typeof err.operation === 'string' &&
        err.operation.length > 0 &&
        typeof err.message === 'string';
      return { key: `${err.constructor.name}/${String(err.codeName)}`, foreign: ok ? null : 'malformed RtmError (code, codeName or operation)' };
    }
    if (err instanceof HostileError) return { key: 'HostileError', foreign: exotic ? null : 'HostileError from a call without exotic arguments' };
    if (err instanceof TypeError || err instanceof RangeError) {
      const own = typeof err.message === 'string' && PKG_MESSAGE.test(err.message);
      return {
        key: `${err.name}${own ? '' : '(engine)'}`,
        foreign: own || exotic ? null : `${err.name} not from the package's argument checks, for plain arguments`,
      };
    }
    const kind = err instanceof Error ? err.constructor.name : typeof err;
    return { key: `FOREIGN:${kind}`, foreign: `not an RtmError / TypeError / RangeError (${kind})` };
  }

  checkValue(name, value, rec) {
    let bad = null;
    switch (name) {
      case 'sendMessageToPeer':
        if (typeof value !== 'object' || value === null || typeof value.hasPeerReceived !== 'boolean' || typeof value.messageId !== 'bigint') bad = 'bad PeerMessageSendResult';
        break;
      case 'queryPeersOnlineStatus':
        if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'boolean')) bad = 'bad online status map';
        break;
      case 'channel.getMembers':
      case 'queryPeersBySubscriptionOption':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) bad = 'not an array of strings';
        break;
      case 'getChannelMemberCount':
        if (typeof value !== 'object' || value === null || Object.values(value).some((v) => !Number.isInteger(v) || v < 0)) bad = 'bad member counts';
        break;
      default:
        break;
    }
    if (bad !== null) {
      this.r.foreign += 1;
      if (this.r.foreignSamples.length < SAMPLES) this.r.foreignSamples.push({ what: `resolved with a bad value: ${bad}`, call: name, op: rec.op, value: safeString(value) });
    }
  }

  /** The pendingEvents getter (where the package has it): a non-negative integer. */
  checkPendingEvents(client) {
    const n = client.pendingEvents;
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
      this.r.foreign += 1;
      if (this.r.foreignSamples.length < SAMPLES) this.r.foreignSamples.push({ what: `pendingEvents is ${safeString(n)}`, call: 'pendingEvents' });
    }
    return n;
  }

  checkState(state) {
    this.r.states[state] = (this.r.states[state] ?? 0) + 1;
    return state;
  }

  // --- slots -----------------------------------------------------------------------------------

  onEmu(e, name, fn) {
    const emu = e < 0 ? this.Emulator.default : this.emus[e];
    if (emu === null) {
      this.r.skipped += 1;
      return undefined;
    }
    return this.call(name, () => fn(emu));
  }

  onClient(c, name, fn) {
    const slot = this.clients[c];
    if (slot === null) {
      this.r.skipped += 1;
      return undefined;
    }
    return this.call(name, () => fn(slot.client, slot), slot.timeoutOf(name));
  }

  onChannel(c, k, name, fn) {
    const slot = this.clients[c];
    const ch = slot === null ? null : slot.channels[k];
    if (ch === null || ch === undefined) {
      this.r.skipped += 1;
      return undefined;
    }
    return this.call(name, () => fn(ch), slot.timeoutOf(name.replace('channel.', '')));
  }

  onLocal(l, name, fn) {
    const inv = this.locals[l];
    if (inv === null) {
      this.r.skipped += 1;
      return undefined;
    }
    return this.call(name, () => fn(inv));
  }

  onRemote(c, r, name, fn) {
    const slot = this.clients[c];
    const list = slot === null ? [] : slot.remotes;
    if (list.length === 0) {
      this.r.skipped += 1;
      return undefined;
    }
    const inv = list[list.length - 1 - (r % list.length)]; // the newest ones first
    return this.call(name, () => fn(inv));
  }

  anyObjectNot(cls) {
    const candidates = [
      ['RtmClient', this.clients.find((s) => s !== null)?.client],
      ['Emulator', this.Emulator.default],
      ['LocalInvitation', this.locals.find((l) => l !== null)],
    ];
    return candidates.find(([name, o]) => name !== cls && o !== undefined)?.[1] ?? {};
  }

  dropInPath() {
    if (this.dropIn === undefined) {
      try {
        this.dropIn = this.emulatorMod.emulatorLibraryPath();
      } catch {
        this.dropIn = '/nonexistent/libagora_rtm_emulator.so';
      }
    }
    return this.dropIn;
  }

  // --- operations that manage slots ------------------------------------------------------------

  emuStart(e, opts) {
    const p = this.call('Emulator.start', () => this.Emulator.start(opts));
    if (p !== undefined) {
      p.then(
        (emu) => {
          this.allEmus.push(emu);
          this.emus[e] = emu;
        },
        () => {},
      );
    }
  }

  create(c, appId, optsOf, releaseOld, policy) {
    const opts = optsOf(this);
    const client = this.call('createInstance', () => this.pkg.createInstance(appId, opts));
    if (client === undefined) return;
    const old = this.clients[c];
    if (old !== null && releaseOld) {
      old.released = true;
      this.call('release', () => old.client.release());
    }
    this.clients[c] = this.adopt(client, opts, policy);
    // Keep the number of live clients bounded: orphans beyond 12 are released, oldest first.
    const live = this.allClients.filter((s) => !s.released && !this.clients.includes(s));
    if (live.length > 12) {
      const victim = live[0];
      victim.released = true;
      this.call('release', () => victim.client.release());
    }
  }

  /** Registers a client (and listens to what the run needs: received invitations, states). */
  adopt(client, opts, policy = 'none') {
    let safety;
    try {
      const given = opts !== null && typeof opts === 'object' ? opts._safetyTimeoutsMs : undefined; // a hostile Proxy may throw
      safety = given !== null && typeof given === 'object' ? { ...given } : undefined;
    } catch {
      safety = undefined;
    }
    const slot = {
      client,
      channels: new Array(NCH).fill(null),
      remotes: [],
      /** Its LocalInvitations (dropped with it). */
      locals: new WeakSet(),
      released: false,
      timeoutOf: (name) => {
        if (safety !== null && typeof safety === 'object' && typeof safety[name] === 'number') return safety[name];
        return DEFAULT_SAFETY_MS;
      },
    };
    client.on('RemoteInvitationReceived', (inv) => {
      this.count('RemoteInvitationReceived');
      slot.remotes.push(inv);
      if (slot.remotes.length > 16) slot.remotes.shift();
      this.watch(inv, REMOTE_EVENTS);
      this.answer(inv, policy);
    });
    this.watch(client, ['MessageFromPeer', 'PeersOnlineStatusChanged', 'TokenExpired', 'Backlog']);
    client.on('ConnectionStateChanged', (state, reason) => {
      this.count('ConnectionStateChanged');
      this.checkState(`${state}/${reason}`);
    });
    client.on('error', (err) => {
      this.count('error');
      if (!(err instanceof this.pkg.RtmError)) {
        this.r.foreign += 1;
        if (this.r.foreignSamples.length < SAMPLES) this.r.foreignSamples.push(sample("'error' event with a value that is not an RtmError", 'event', 'error', err, null));
      }
    });
    this.allClients.push(slot);
    return slot;
  }

  channelFlow(c, k, id, message, then) {
    const slot = this.clients[c];
    if (slot === null) {
      this.r.skipped += 1;
      return;
    }
    let ch = slot.channels[k];
    if (ch === null) {
      ch = this.call('createChannel', () => {
        const created = slot.client.createChannel(id);
        slot.channels[k] = created;
        this.watch(created, CHANNEL_EVENTS);
        return created;
      });
      if (ch === undefined) return;
    }
    const joined = this.call('channel.join', () => ch.join(), slot.timeoutOf('join'));
    if (joined === undefined) return;
    const op = this.current;
    joined.then(
      () =>
        this.as(op, () => {
          if (then === 'members') this.call('channel.getMembers', () => ch.getMembers(), slot.timeoutOf('getMembers'));
          if (then.startsWith('send')) this.call('channel.sendMessage', () => ch.sendMessage(message), slot.timeoutOf('sendMessage'));
          if (then === 'leave' || then === 'sendLeave') this.call('channel.leave', () => ch.leave(), slot.timeoutOf('leave'));
          if (then === 'sendRelease') this.call('channel.release', () => ch.release());
        }),
      () => {},
    );
  }

  /** Two clients join one channel; once both are in, one sends `n` messages, the other lists members. */
  pairFlow(a, b, k, id, n, then) {
    const slots = [this.clients[a], this.clients[b]];
    if (slots.includes(null)) {
      this.r.skipped += 1;
      return;
    }
    const op = this.current;
    const joins = slots.map((slot) => {
      let ch = slot.channels[k];
      if (ch === null || ch.channelId !== id) {
        ch = this.call('createChannel', () => {
          const created = slot.client.createChannel(id);
          slot.channels[k] = created;
          this.watch(created, CHANNEL_EVENTS);
          return created;
        });
        if (ch === undefined) return undefined;
      }
      const joined = this.call('channel.join', () => ch.join(), slot.timeoutOf('join'));
      if (joined === undefined) return undefined;
      const then = joined.then(() => ch);
      then.catch(() => {}); // the join's own outcome is tracked; this one only sequences
      return then;
    });
    if (joins.includes(undefined)) return;
    Promise.all(joins).then(
      ([chA, chB]) =>
        this.as(op, () => {
          for (let i = 0; i < n; i++) this.call('channel.sendMessage', () => chA.sendMessage({ text: `pair ${i}` }), slots[0].timeoutOf('sendMessage'));
          this.call('channel.getMembers', () => chB.getMembers(), slots[1].timeoutOf('getMembers'));
          if (then === 'leave') this.call('channel.leave', () => chB.leave(), slots[1].timeoutOf('leave'));
          if (then === 'release') this.call('channel.release', () => chB.release());
          if (then === 'logout') this.call('logout', () => slots[1].client.logout(), slots[1].timeoutOf('logout'));
          if (then === 'attributes') {
            this.call('addOrUpdateChannelAttributes', () => slots[0].client.addOrUpdateChannelAttributes(id, { topic: 'pair' }, { enableNotificationToChannelMembers: true }), slots[0].timeoutOf('addOrUpdateChannelAttributes'));
          }
        }),
      () => {},
    );
  }

  inviteFlow(c, l, callee, content, after) {
    const slot = this.clients[c];
    if (slot === null) {
      this.r.skipped += 1;
      return;
    }
    const inv = this.call('createLocalInvitation', () => {
      const created = slot.client.createLocalInvitation(callee);
      slot.locals.add(created);
      this.locals[l] = created;
      this.watch(created, LOCAL_EVENTS);
      return created;
    });
    if (inv === undefined) return;
    this.call('LocalInvitation.content=', () => {
      inv.content = content;
    });
    const op = this.current;
    const cancel = () => this.as(op, () => this.call('LocalInvitation.cancel', () => inv.cancel()));
    if (after === 'cancelOnReceipt') inv.once('LocalInvitationReceivedByPeer', cancel);
    this.call('LocalInvitation.send', () => inv.send());
    if (after === 'cancelNow') cancel();
    if (after === 'cancelLater') setImmediate(cancel);
  }

  listen(target, c, k, event, sub) {
    let emitter = null;
    const slot = this.clients[c];
    if (target === 'client') emitter = slot?.client ?? null;
    else if (target === 'channel') emitter = slot?.channels[k] ?? null;
    else if (target === 'local') emitter = this.locals[k];
    else if (slot !== null && slot.remotes.length > 0) emitter = slot.remotes[slot.remotes.length - 1 - (k % slot.remotes.length)];
    if (emitter === null) {
      this.r.skipped += 1;
      return;
    }
    emitter.once(event, () => {
      this.count(`listener:${event}`);
      this.runOp(sub);
    });
  }

  /**
   * Forgets a client without releasing it (the application drops it): no reference of the run's
   * is left but a WeakRef. A client that is not logged in may then be collected (and released by
   * the package, where it does so); one still alive at the end is released then.
   */
  dropClient(c) {
    const slot = this.clients[c];
    if (slot === null) {
      this.r.skipped += 1;
      return;
    }
    this.clients[c] = null;
    const i = this.allClients.indexOf(slot);
    if (i >= 0) this.allClients.splice(i, 1);
    for (let l = 0; l < NL; l++) if (this.locals[l] !== null && slot.locals.has(this.locals[l])) this.locals[l] = null;
    this.dropped.push(new WeakRef(slot.client));
    this.count('dropClient');
  }

  /**
   * A worker thread with clients of its own on the default service (logged in, sending to the
   * pool's users), ended after `ms` by terminate(), by its own process.exit() or by releasing its
   * clients. Its errors count as uncaught; its environment's teardown must free its objects.
   */
  workerThread(ms, n, end, base) {
    const { Worker } = require('node:worker_threads');
    const dist = path.join(__dirname, '..', '..', 'dist', 'index.js');
    const code = `
      const { parentPort, workerData: w } = require('node:worker_threads');
      const AgoraRTM = require(w.dist).default;
      const clients = [];
      for (let i = 0; i < w.n; i++) {
        const c = AgoraRTM.createInstance(w.appId, { backend: 'emulator', emulator: 'inproc://default', _safetyTimeoutsMs: w.safety });
        clients.push(c);
        c.on('MessageFromPeer', () => {});
        c.login({ uid: 'w' + w.base + '-' + i }).then(() => {
          for (let j = 0; j < 20; j++) c.sendMessageToPeer({ text: 'from a worker' }, 'u' + (j % 6)).catch(() => {});
        }, () => {});
      }
      setTimeout(() => {
        if (w.end === 'exit') process.exit(0);
        if (w.end === 'release') Promise.all(clients.map((c) => c.release())).then(() => parentPort.close());
      }, w.ms);
    `;
    const worker = this.call('new Worker', () => new Worker(code, { eval: true, workerData: { dist, n, end, base, ms, appId: TEST_APP_ID, safety: SHORT_SAFETY } }));
    if (worker === undefined) return;
    this.workers.add(worker);
    worker.on('error', (err) => {
      this.r.uncaught += 1;
      if (this.r.uncaughtSamples.length < SAMPLES) this.r.uncaughtSamples.push(sample('error in a worker thread', 'worker', 'workerThread', err, null));
    });
    worker.on('exit', () => {
      this.workers.delete(worker);
      this.count('workerExit');
    });
    if (end === 'terminate') {
      setTimeout(() => {
        if (this.workers.has(worker)) this.track('Worker.terminate', worker.terminate(), false, null, 5000);
      }, ms);
    }
  }

  /** Counts the events of an emitter (coverage figures). */
  watch(emitter, events) {
    for (const event of events) emitter.on(event, () => this.count(event));
  }

  /** A client's answer to a received invitation, by its planned policy. */
  answer(inv, policy) {
    const op = ANSWER_OPS[policy];
    if (op === undefined) return;
    const go = () =>
      this.as(op, () => {
        if (policy === 'response') this.call('RemoteInvitation.response=', () => {
          inv.response = 'on my way';
        });
        this.call(`RemoteInvitation.${policy === 'refuse' ? 'refuse' : 'accept'}`, () => (policy === 'refuse' ? inv.refuse() : inv.accept()));
      });
    if (policy === 'later') setImmediate(go);
    else go();
  }

  /** Runs fn as part of `op` (its exotic flag decides how errors are judged). */
  as(op, fn) {
    const saved = this.current;
    this.current = op;
    try {
      return fn();
    } finally {
      this.current = saved;
    }
  }

  count(event) {
    this.r.events[event] = (this.r.events[event] ?? 0) + 1;
  }

  runOp(op) {
    const saved = this.current;
    this.current = op;
    try {
      op.run(this);
    } catch (err) {
      // run() itself never throws (calls are wrapped); anything here is the executor's own bug.
      this.r.uncaught += 1;
      if (this.r.uncaughtSamples.length < SAMPLES) this.r.uncaughtSamples.push(sample('fuzz executor error', 'executor', op.k, err, op));
    } finally {
      this.current = saved;
    }
  }

  gc() {
    if (typeof global.gc === 'function') global.gc();
  }

  // --- checks ----------------------------------------------------------------------------------

  checkOverdue() {
    const now = Date.now();
    for (const rec of this.tracked) {
      if (!rec.settled && !rec.overdue && now > rec.deadline) {
        rec.overdue = true;
        this.r.overdue += 1;
        if (this.r.overdueSamples.length < SAMPLES) this.r.overdueSamples.push({ call: rec.name, op: rec.op, ageMs: now - rec.t0 });
      }
    }
  }
}

function sample(what, how, name, err, op) {
  let message;
  let stack;
  let cls;
  try {
    cls = err instanceof Error ? err.constructor.name : typeof err;
    message = err instanceof Error ? String(err.message).slice(0, 400) : safeString(err);
    stack = err instanceof Error && typeof err.stack === 'string' ? err.stack.split('\n').slice(0, 12).join('\n') : undefined;
  } catch {
    message = '(unprintable)';
  }
  const extra = {};
  try {
    if (err && typeof err === 'object' && 'codeName' in err) extra.codeName = err.codeName;
    if (err && typeof err === 'object' && err.cause instanceof Error) extra.cause = `${err.cause.constructor.name}: ${String(err.cause.message).slice(0, 300)}`;
  } catch {
    // ignore
  }
  return { what, how, call: name, op: op === null ? undefined : `${op.k} ${op.d}`.slice(0, 300), class: cls, message, ...extra, stack };
}

function safeString(v) {
  try {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return v.toString();
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return s === undefined ? String(v) : s.slice(0, 300);
  } catch {
    return '(unprintable)';
  }
}

const plantedClients = [];

/** --self-test: one planted failure of each kind the driver must catch. */
function plant(kind, X) {
  switch (kind) {
    case 'foreign':
      X.track('self-test', Promise.reject(new Error('self-test: a plain Error')), false, null);
      break;
    case 'unsettled':
      X.track('self-test', new Promise(() => {}), false, null, 60_000);
      break;
    case 'native':
      X.outcome('reject', 'self-test', new X.pkg.RtmError('self-test: failed in the native addon', { code: -5, codeName: 'ERR_RTM_NATIVE', operation: 'self-test' }), false, null);
      break;
    case 'uncaught':
      setImmediate(() => {
        throw new Error('self-test: uncaught');
      });
      break;
    case 'live':
      plantedClients.push(X.pkg.createInstance(TEST_APP_ID, { backend: 'emulator' })); // never released
      break;
    case 'crash':
      process.kill(process.pid, 'SIGKILL'); // death by a signal, as an abort or a segfault (without a core file)
      break;
    case 'hang':
      for (;;);
    case 'sanitizer':
      // ThreadSanitizer: caught by the driver, yet never mistaken by scripts/test-sanitizers.sh
      // (which looks for Address/Leak reports in the suite's output) for a report of its own.
      process.stderr.write('==1==ERROR: ThreadSanitizer: planted by the fuzz self-test, not a real report\n');
      break;
    case 'noexit':
      break;
    default:
      throw new Error(`worker: unknown --self-test ${kind}`);
  }
}

/** The file of the addon this process loaded (Linux: from /proc/self/maps), for the report. */
function loadedAddon() {
  try {
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const line = maps.split('\n').find((l) => l.endsWith('.node') && l.includes('agora_rtm'));
    return line === undefined ? null : line.slice(line.indexOf('/'));
  } catch {
    return null;
  }
}

/** The names of this process's threads (Linux), for a report. */
function threadNames() {
  try {
    const fs = require('node:fs');
    return fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()).sort().join(',');
  } catch {
    return '';
  }
}

/** Threads of this process (Linux), -1 where /proc is not there. */
function threadCount() {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    return -1;
  }
}

/** The exit code of a worker that could not load the package (not a finding). */
const SETUP_ERROR = 4;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const immediate = () => new Promise((r) => setImmediate(r));

// ------------------------------------------------------------------------------------------------
// Main

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.dryRun !== undefined) {
    dryRun(args.seed, args.dryRun);
    return;
  }
  for (const name of ['AGORA_RTM_BACKEND', 'AGORA_RTM_SDK_PATH', 'AGORA_RTM_EMULATOR']) delete process.env[name];

  const dist = path.join(__dirname, '..', '..', 'dist');
  let pkg;
  let emulatorMod;
  let testing;
  try {
    pkg = require(path.join(dist, 'index.js'));
    emulatorMod = require(path.join(dist, 'emulator.js'));
    testing = require(path.join(dist, 'testing.js'));
    // Load the addon now, so that a missing build is a setup error rather than a fuzz finding.
    emulatorMod.Emulator.liveObjectCount();
  } catch (err) {
    process.stderr.write(`fuzz worker: cannot load the package from dist/ (run \`npm run build:ts\`; is the addon built?): ${err && err.message}\n`);
    process.exitCode = SETUP_ERROR;
    return;
  }
  const X = new Executor(pkg, emulatorMod, testing);
  const threadsAtStart = threadCount();
  const addon = loadedAddon();

  process.on('uncaughtException', (err) => {
    X.r.uncaught += 1;
    if (X.r.uncaughtSamples.length < SAMPLES) X.r.uncaughtSamples.push(sample('uncaught exception', 'uncaught', '?', err, X.current));
  });
  process.on('unhandledRejection', (err) => {
    X.r.uncaught += 1;
    if (X.r.uncaughtSamples.length < SAMPLES) X.r.uncaughtSamples.push(sample('unhandled rejection', 'unhandled', '?', err, X.current));
  });
  process.on('warning', (w) => {
    X.r.warnings[w.name] = (X.r.warnings[w.name] ?? 0) + 1;
  });

  const planner = new Planner(args.seed);
  const started = Date.now();
  const overdueTimer = setInterval(() => X.checkOverdue(), 250);
  let ops = 0;
  let planted = args.selfTest === undefined;
  for (;;) {
    const end = (args.ops !== undefined && ops >= args.ops) || (args.ms !== undefined && Date.now() - started >= args.ms);
    if (!planted && (ops === 20 || end)) {
      planted = true;
      plant(args.selfTest, X);
    }
    if (end) break;
    const op = planner.next();
    ops += 1;
    X.runOp(op);
    if (op.pause === -1) await immediate();
    else if (op.pause > 0) await sleep(op.pause);
  }
  const runMs = Date.now() - started;
  X.current = null;
  X.checkOverdue();
  clearInterval(overdueTimer);

  // Wind down: release every client, stop every emulator, then every promise must settle.
  const release = [];
  const survivors = X.dropped.map((ref) => ref.deref()).filter((client) => client !== undefined);
  X.r.droppedClients = X.dropped.length;
  X.r.droppedAliveAtEnd = survivors.length;
  for (const client of [...X.allClients.map((slot) => slot.client), ...survivors]) {
    try {
      release.push(client.release());
    } catch (err) {
      X.outcome('sync', 'final release', err, false, null);
    }
  }
  for (const p of release) X.track('final release', p, false, null, 0);
  for (const w of X.workers) X.track('final Worker.terminate', w.terminate(), false, null, 0);
  for (const emu of X.allEmus) {
    try {
      X.track('final stop', emu.stop(), false, null, 0);
    } catch (err) {
      X.outcome('sync', 'final stop', err, false, null);
    }
  }
  const settleBy = Date.now() + args.settleMs;
  while (Date.now() < settleBy && X.tracked.some((t) => !t.settled)) await sleep(20);
  const now = Date.now();
  for (const rec of X.tracked) {
    if (rec.settled) continue;
    X.r.unsettled += 1;
    if (X.r.unsettledSamples.length < SAMPLES) X.r.unsettledSamples.push({ call: rec.name, op: rec.op, ageMs: now - rec.t0 });
  }
  // Native objects are freed when their clients are: allow the SDK threads a moment.
  const liveBy = Date.now() + args.settleMs;
  let live = X.Emulator.liveObjectCount();
  while (live !== 0 && Date.now() < liveBy) {
    X.gc();
    await sleep(20);
    live = X.Emulator.liveObjectCount();
  }
  X.r.liveObjects = live;
  // Every client's SDK thread must be gone too (informational: Node's own pool may have grown).
  // (The default service keeps its timer thread once a fault such as dropConnection started it.)
  let threads = threadCount();
  const threadsBy = Math.min(liveBy, Date.now() + 300);
  while (threads > threadsAtStart && Date.now() < threadsBy) {
    await sleep(20);
    threads = threadCount();
  }
  X.r.threads = { atStart: threadsAtStart, atEnd: threads, names: threadNames() };
  X.r.rssMB = Math.round(process.memoryUsage().rss / 1048576);

  const report = {
    seed: args.seed,
    addon,
    ops,
    runMs,
    totalMs: Date.now() - started,
    clients: X.allClients.length,
    emulators: X.allEmus.length,
    promises: X.tracked.length,
    ...X.r,
  };
  process.stdout.write(`FUZZ-REPORT ${JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}\n`);
  if (args.selfTest === 'noexit') setInterval(() => {}, 1000);
  // The process must now exit by itself (the driver checks): no handle of ours is left.
  process.removeAllListeners('uncaughtException');
  process.removeAllListeners('unhandledRejection');
  process.on('uncaughtException', (err) => {
    process.stderr.write(`fuzz worker: uncaught exception after the report: ${err && err.stack}\n`);
    process.exitCode = 3;
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`fuzz worker: unhandled rejection after the report: ${err && err.stack}\n`);
    process.exitCode = 3;
  });
}

main().catch((err) => {
  process.stderr.write(`fuzz worker failed: ${err && err.stack}\n`);
  process.exitCode = 2;
});
