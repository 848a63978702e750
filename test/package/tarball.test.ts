// The package as users get it: `npm pack`, then `npm install <tarball>` in an empty project with
// no compiler on PATH, which loads the prebuilt addon; CJS and ESM users log two clients in on the
// emulator and exchange a message; a typed usage file passes `tsc --strict`; a shipped example runs
// from node_modules. A second project gets the tarball without prebuilds and compiles the addon
// and drop-in library only, saying so in one line, and so does `npm rebuild`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { npm, pack, pathWithoutCompiler, type Packed } from './packed';

const scratch = mkdtempSync(join(tmpdir(), 'rtm-package-'));
const project = join(scratch, 'app');
let packed: Packed;
let installLog = '';

function newProject(dir: string): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
}

beforeAll(() => {
  packed = pack(scratch);
  console.log(`[test:package] ${packed.tarball.split('/').pop()}: ${packed.size} bytes, ${packed.files.length} files:`);
  console.log(packed.files.map((f) => `  ${f}`).join('\n'));
  newProject(project);
  const bin = pathWithoutCompiler(join(scratch, 'bin'));
  const env = { ...process.env, PATH: bin, CC: '', CXX: '' };
  const t0 = Date.now();
  installLog = npm(['install', packed.tarball, '--no-audit', '--no-fund', '--foreground-scripts'], project, env).all;
  console.log(`[test:package] npm install <tarball> with no compiler on PATH: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function node(args: string[], cwd = project): string {
  return execFileSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 30_000 });
}

const installed = () => join(project, 'node_modules', 'agora-rtm-node');

describe('the packed package', () => {
  it('ships the prebuilds, the examples and the metadata, and nothing of the test suite', () => {
    for (const f of [
      'dist/index.js',
      'dist/esm/index.mjs',
      'dist/testing.d.ts',
      'prebuilds/linux-x64/agora-rtm-node.glibc.node',
      'prebuilds/linux-x64/libagora_rtm_emulator.so',
      'CMakeLists.txt',
      'scripts/install.cjs',
      'LICENSE',
      'CHANGELOG.md',
      'examples/echo-bot.js',
    ]) {
      expect(packed.files).toContain(f);
    }
    expect(packed.files.filter((f) => /^(test|build|bench)\//.test(f) || /(^|\/)node_modules\//.test(f))).toEqual([]);
  });

  it('installs with no compiler on PATH: the prebuild loads, nothing is compiled, no build toolchain is pulled', () => {
    expect(installLog).not.toMatch(/compiling|No native build was found|Error:/);
    expect(existsSync(join(installed(), 'build'))).toBe(false);
    const tree = readdirSync(join(project, 'node_modules')).filter((f) => !f.startsWith('.'));
    expect(tree.sort()).toEqual(['agora-rtm-node', 'node-addon-api', 'node-gyp-build']);
    const loaded = node(['-e', "console.log(require('node-gyp-build').path(require.resolve('agora-rtm-node/package.json').slice(0, -13)))"]);
    expect(loaded.trim()).toBe(join(installed(), 'prebuilds', 'linux-x64', 'agora-rtm-node.glibc.node'));
  });

  it('CommonJS and ESM users log two clients in on the emulator and exchange a message', () => {
    const body = `
      const a = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator' });
      const b = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator' });
      await a.login({ uid: 'alice' });
      await b.login({ uid: 'bob' });
      const got = waitForEvent(b, 'MessageFromPeer');
      const sent = await a.sendMessageToPeer({ text: 'hi' }, 'bob');
      const [message, from] = await got;
      console.log(FLAVOUR, from, message.text, sent.hasPeerReceived, emulatorLibraryPath());
      await a.release();
      await b.release();`;
    writeFileSync(
      join(project, 'smoke.cjs'),
      `const { default: AgoraRTM } = require('agora-rtm-node');
       const { TEST_APP_ID, waitForEvent } = require('agora-rtm-node/testing');
       const { emulatorLibraryPath } = require('agora-rtm-node/emulator');
       const FLAVOUR = 'cjs';
       (async () => { ${body} })();`,
    );
    writeFileSync(
      join(project, 'smoke.mjs'),
      `import AgoraRTM from 'agora-rtm-node';
       import { TEST_APP_ID, waitForEvent } from 'agora-rtm-node/testing';
       import { emulatorLibraryPath } from 'agora-rtm-node/emulator';
       const FLAVOUR = 'esm';
       ${body}`,
    );
    const library = join(installed(), 'prebuilds', 'linux-x64', 'libagora_rtm_emulator.so');
    expect(node(['smoke.cjs']).trim()).toBe(`cjs alice hi true ${library}`);
    expect(node(['smoke.mjs']).trim()).toBe(`esm alice hi true ${library}`);
  });

  it('a typed usage file passes tsc --strict against the installed typings', () => {
    mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'));
    writeFileSync(join(project, 'usage.ts'), readFileSync(join(repoRoot, 'test', 'types', 'consumer.ts')));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'node16', moduleResolution: 'node16', types: ['node'] },
        files: ['usage.ts'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
    console.log('[test:package] tsc --strict of test/types/consumer.ts against the installed package: no errors');
  });

  it('a shipped example runs from node_modules', () => {
    const out = node([join(installed(), 'examples', 'call-bot.js')]);
    expect(out.trim().split('\n')).toEqual(['"join me" → accepted: on my way', '"sell me something" → refused: busy']);
  });

  it('without a prebuild, install and npm rebuild compile the addon and the drop-in library only, in one line', () => {
    const bare = join(scratch, 'bare');
    execFileSync('tar', ['-xzf', packed.tarball, '-C', scratch]);
    rmSync(join(scratch, 'package', 'prebuilds'), { recursive: true });
    execFileSync('tar', ['-czf', join(scratch, 'no-prebuilds.tgz'), '-C', scratch, 'package']);
    newProject(bare);
    const builtFiles = () =>
      readdirSync(join(bare, 'node_modules', 'agora-rtm-node', 'build', 'Release'))
        .filter((f) => f.endsWith('.node') || f.endsWith('.so') || !f.includes('.'))
        .sort();
    const line = 'agora-rtm-node: no prebuilt addon for linux-x64 loads here; compiling it with cmake-js@^8.0.0';
    for (const args of [['install', join(scratch, 'no-prebuilds.tgz')], ['rebuild', 'agora-rtm-node']]) {
      rmSync(join(bare, 'node_modules', 'agora-rtm-node', 'build'), { recursive: true, force: true });
      const log = npm([...args, '--no-audit', '--no-fund', '--foreground-scripts'], bare).all;
      expect(log).toContain(line);
      expect(log).not.toMatch(/No native build was found|at load\.resolve/);
      expect(builtFiles()).toEqual(['agora_rtm_node.node', 'libagora_rtm_emulator.so']);
    }
    expect(node(['-e', "require('agora-rtm-node'); console.log('loaded')"], bare).trim()).toBe('loaded');
  });
});
