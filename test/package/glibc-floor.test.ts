// The shipped binaries load on every glibc Linux x64 where Node 20 runs: their symbol version
// needs (objdump -T) stay at or below Node 20's own floor, glibc 2.28, with the C++ runtime linked
// in (no libstdc++ / libgcc_s needs), stripped; and the packed addon really loads and works under
// the oldest glibc this machine can run, Debian 11's 2.31, in the build root they were made in.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { buildRoot, pack } from './packed';

/** The floor the README documents. */
const GLIBC_FLOOR = '2.28';

const scratch = mkdtempSync(join(tmpdir(), 'rtm-glibc-'));
let shipped: string[] = [];

beforeAll(() => {
  const { tarball, files } = pack(scratch);
  execFileSync('tar', ['-xzf', tarball, '-C', scratch]);
  shipped = files.filter((f) => f.startsWith('prebuilds/')).map((f) => join(scratch, 'package', f));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const versionKey = (v: string) => v.split('.').map(Number).reduce((acc, n, i) => acc + n * 1000 ** (2 - i), 0);

function needs(file: string): { glibc: string[]; other: string[]; libraries: string[] } {
  const dynamic = execFileSync('objdump', ['-T', file], { encoding: 'utf8' });
  const versions = [...new Set([...dynamic.matchAll(/\(([A-Z]+_[0-9.]+)\)/g)].map((m) => m[1]!))];
  const libraries = [...execFileSync('readelf', ['-d', file], { encoding: 'utf8' }).matchAll(/\(NEEDED\).*\[(.+)\]/g)].map((m) => m[1]!);
  return {
    glibc: versions.filter((v) => v.startsWith('GLIBC_')).map((v) => v.slice('GLIBC_'.length)),
    other: versions.filter((v) => !v.startsWith('GLIBC_')),
    libraries,
  };
}

describe('the shipped prebuilds', () => {
  it('are the addon (libc-tagged) and the drop-in emulator library for linux-x64', () => {
    expect(shipped.map((f) => f.slice(join(scratch, 'package').length + 1)).sort()).toEqual([
      'prebuilds/linux-x64/agora-rtm-node.glibc.node',
      'prebuilds/linux-x64/libagora_rtm_emulator.so',
    ]);
  });

  it(`need no glibc symbol newer than ${GLIBC_FLOOR}, no libstdc++, and are stripped`, () => {
    for (const file of shipped) {
      const { glibc, other, libraries } = needs(file);
      const highest = glibc.sort((a, b) => versionKey(a) - versionKey(b)).at(-1)!;
      console.log(`[test:package] ${file.split('/').pop()}: highest GLIBC_${highest}, GLIBCXX none, needs ${libraries.join(' ')}`);
      expect(versionKey(highest)).toBeLessThanOrEqual(versionKey(GLIBC_FLOOR));
      expect(other).toEqual([]);
      expect(libraries.filter((l) => !/^(libc|libm|libdl|libpthread|ld-linux-x86-64)\.so\.\d$/.test(l))).toEqual([]);
      expect(execFileSync('readelf', ['-S', file], { encoding: 'utf8' })).not.toContain('.symtab');
    }
  });

  it('load, log in and deliver a message on glibc 2.31 (Debian 11), loaded from the unpacked tarball', () => {
    expect(existsSync(join(buildRoot, 'usr', 'bin', 'ldd')), `no build root at ${buildRoot}: run npm run build:prebuilds`).toBe(true);
    const glibc = execFileSync('chroot', [buildRoot, 'ldd', '--version'], { encoding: 'utf8' }).split('\n')[0];
    const app = join(buildRoot, 'tmp', 'glibc-floor-app');
    rmSync(app, { recursive: true, force: true });
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    cpSync(join(scratch, 'package'), join(app, 'node_modules', 'agora-rtm-node'), { recursive: true });
    cpSync(join(repoRoot, 'node_modules', 'node-gyp-build'), join(app, 'node_modules', 'node-gyp-build'), { recursive: true });
    copyFileSync(process.execPath, join(app, 'node'));
    const script = `
      const { default: AgoraRTM } = require('agora-rtm-node');
      const { TEST_APP_ID, waitForEvent } = require('agora-rtm-node/testing');
      const { emulatorLibraryPath } = require('agora-rtm-node/emulator');
      (async () => {
        // the drop-in library, loaded as the real SDK would be
        const c = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'agora', sdkPath: emulatorLibraryPath() });
        await c.login({ uid: 'carol' });
        console.log(c.connectionState);
        await c.release();
        const a = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator' });
        const b = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator' });
        await a.login({ uid: 'alice' });
        await b.login({ uid: 'bob' });
        const got = waitForEvent(b, 'MessageFromPeer');
        await a.sendMessageToPeer({ text: 'hi' }, 'bob');
        const [message, from] = await got;
        console.log(from, message.text, require('node-gyp-build').path('/tmp/glibc-floor-app/node_modules/agora-rtm-node'));
        await a.release();
        await b.release();
      })();`;
    writeFileSync(join(app, 'smoke.cjs'), script);
    const out = execFileSync('chroot', [buildRoot, '/tmp/glibc-floor-app/node', '/tmp/glibc-floor-app/smoke.cjs'], {
      cwd: '/',
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp' },
      timeout: 30_000,
    });
    rmSync(app, { recursive: true, force: true });
    console.log(`[test:package] under ${glibc}: ${out.trim().split('\n').join(' | ')}`);
    expect(out.trim()).toBe('CONNECTED\nalice hi /tmp/glibc-floor-app/node_modules/agora-rtm-node/prebuilds/linux-x64/agora-rtm-node.glibc.node');
    expect(readdirSync(join(scratch, 'package'))).not.toContain('build');
  });
});
