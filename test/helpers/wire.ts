// Frames of the emulator's TCP protocol (docs/PROTOCOL.md), written by hand for tests that talk to
// the service (or to a client) below the addon: raw sockets, malformed frames, slow readers.
import * as net from 'node:net';

export const KIND = {
  Hello: 1,
  Welcome: 2,
  Ping: 3,
  Pong: 4,
  Login: 10,
  Logout: 11,
  PeerMessage: 13,
  Resume: 19,
  Join: 30,
  Response: 100,
  PushPeerMessage: 103,
} as const;

export const MAGIC = 0x454d5452;

/** Builds one frame: [u32 length][u8 kind][fields]. */
export class Frame {
  #parts: Buffer[] = [];
  constructor(readonly kind: number) {}
  u8(v: number): this {
    this.#parts.push(Buffer.from([v & 0xff]));
    return this;
  }
  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    this.#parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.#parts.push(b);
    return this;
  }
  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, v));
    this.#parts.push(b);
    return this;
  }
  str(s: string | Buffer): this {
    const bytes = typeof s === 'string' ? Buffer.from(s) : s;
    this.u32(bytes.length);
    this.#parts.push(bytes);
    return this;
  }
  bytes(): Buffer {
    const body = Buffer.concat([Buffer.from([this.kind]), ...this.#parts]);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(body.length);
    return Buffer.concat([len, body]);
  }
}

export function hello(role = 0): Buffer {
  return new Frame(KIND.Hello).u32(MAGIC).u16(1).u8(role).bytes();
}

export function login(id: number, appId: string, uid: string, token = ''): Buffer {
  return new Frame(KIND.Login).u32(id).str(appId).str(uid).str(token).bytes();
}

/** Splits received bytes into frame bodies ([kind, ...fields]). */
export class FrameReader {
  #buf = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    const out: Buffer[] = [];
    while (this.#buf.length >= 4) {
      const n = this.#buf.readUInt32LE(0);
      if (this.#buf.length < 4 + n) break;
      out.push(this.#buf.subarray(4, 4 + n));
      this.#buf = this.#buf.subarray(4 + n);
    }
    return out;
  }
}

/** A connected raw socket to host:port. */
export function connect(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A small seeded PRNG (mulberry32): the same seed gives the same frames. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
