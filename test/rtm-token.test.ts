// The 007 token builder of the online tests, against the test vector of shared/rtm-semantics.md
// §5.3 (compared after inflating: zlib builds differ in their output bytes).
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRtmToken007, token007Content } from './helpers/rtm-token';

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b';
const VECTOR =
  '007eJxTYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhJgZGBkYwn5OhJLW4JL60OLUIAFlWHoA=';
const FIELDS = { issueTs: 1111111, expireSeconds: 600, salt: 1 };

describe('RTM 007 token builder (online tests)', () => {
  it('builds the content of the published test vector, byte for byte', () => {
    const vector = inflateSync(Buffer.from(VECTOR.slice(3), 'base64'));
    expect(token007Content(APP_ID, CERTIFICATE, 'test_user', FIELDS).equals(vector)).toBe(true);
    const built = buildRtmToken007(APP_ID, CERTIFICATE, 'test_user', FIELDS);
    expect(built.startsWith('007eJ')).toBe(true);
    expect(inflateSync(Buffer.from(built.slice(3), 'base64')).equals(vector)).toBe(true);
  });

  it('signs with the certificate and the user id: another of either gives another signature', () => {
    const signature = (cert: string, user: string) => token007Content(APP_ID, cert, user, FIELDS).subarray(2, 34);
    const good = signature(CERTIFICATE, 'test_user');
    expect(signature('0'.repeat(32), 'test_user').equals(good)).toBe(false);
    expect(signature(CERTIFICATE, 'other_user').equals(good)).toBe(false);
  });
});
