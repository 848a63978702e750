// An RTM AccessToken2 ("007") builder for the online tests (shared/rtm-semantics.md §5.2): the
// App Certificate never leaves the test machine, and no token package is needed.
import { createHmac } from 'node:crypto';
import { deflateSync } from 'node:zlib';

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const bytes = (b: Buffer): Buffer => Buffer.concat([u16(b.length), b]);
const hmac = (key: Buffer, msg: Buffer): Buffer => createHmac('sha256', key).update(msg).digest();

/** RTM service (type 2) with the login privilege (1). */
const RTM_SERVICE = 2;
const RTM_LOGIN_PRIVILEGE = 1;

export interface Token007Fields {
  /** Unix seconds; default: now. */
  issueTs?: number;
  /** Seconds after issueTs (also the login privilege's lifetime); default 3600. */
  expireSeconds?: number;
  /** 1…99 999 999; default: random. */
  salt?: number;
}

/** The uncompressed content of a 007 RTM token: signature, then the signed fields. */
export function token007Content(appId: string, appCertificate: string, userId: string, fields: Token007Fields = {}): Buffer {
  const issueTs = fields.issueTs ?? Math.floor(Date.now() / 1000);
  const expire = fields.expireSeconds ?? 3600;
  const salt = fields.salt ?? 1 + Math.floor(Math.random() * 99_999_998);
  const service = Buffer.concat([u16(RTM_SERVICE), u16(1), u16(RTM_LOGIN_PRIVILEGE), u32(expire), bytes(Buffer.from(userId))]);
  const signingInfo = Buffer.concat([bytes(Buffer.from(appId)), u32(issueTs), u32(expire), u32(salt), u16(1), service]);
  // The certificate is the message of the first step, not its key.
  const k1 = hmac(u32(issueTs), Buffer.from(appCertificate));
  const k2 = hmac(u32(salt), k1);
  return Buffer.concat([bytes(hmac(k2, signingInfo)), signingInfo]);
}

/** A 007 token that lets `userId` log in to RTM with App ID `appId`. */
export function buildRtmToken007(appId: string, appCertificate: string, userId: string, fields: Token007Fields = {}): string {
  return `007${deflateSync(token007Content(appId, appCertificate, userId, fields)).toString('base64')}`;
}
