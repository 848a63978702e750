// The package as users get it: `npm pack`, then `npm install <tarball>` in an empty project. The
// install compiles only the addon and the drop-in library (no prebuild ships yet) and says so in
// one line; CJS and ESM users log two clients in on the emulator and exchange a message; a typed
// usage file passes `tsc --strict`; a shipped example runs from node_modules.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const scratch = mkdtempSync(join(tmpdir(), 'rtm-package-'));
const project = join(scratch, 'app');
let tarball = '';
let files: string[] = [];
let installLog = '';

function npm(args: string[], cwd: string): { stdout: string; all: string } {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, all: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  // dist/ is built by the main suite's `npm test` (CI runs this after it): no prepare here.
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], repoRoot).stdout) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  tarball = join(scratch, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  console.log(`[test:package] ${packed[0]!.filename}: ${packed[0]!.size} bytes, ${files.length} files`);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const t0 = Date.now();
  installLog = npm(['install', tarball, '--no-audit', '--no-fund', '--foreground-scripts'], project).all;
  console.log(`[test:package] npm install <tarball>: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8', timeout: 30_000 });
}

describe('the packed package', () => {
  it('ships what users need and nothing of the test suite', () => {
    for (const f of ['dist/index.js', 'dist/esm/index.mjs', 'dist/testing.d.ts', 'CMakeLists.txt', 'scripts/install.cjs', 'LICENSE', 'examples/echo-bot.js']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('build/'))).toEqual([]);
  });

  it('installs from the tarball, compiling only the addon and the drop-in library, with one line and no stack trace', () => {
    expect(installLog).toContain('agora-rtm-node: no prebuilt addon for linux-x64 loads here; compiling it with cmake-js');
    expect(installLog).not.toMatch(/No native build was found|at load\.resolve|Error:/);
    const built = readdirSync(join(project, 'node_modules', 'agora-rtm-node', 'build', 'Release')).filter(
      (f) => f.endsWith('.node') || f.endsWith('.so') || !f.includes('.'),
    );
    expect(built.sort()).toEqual(['agora_rtm_node.node', 'libagora_rtm_emulator.so']);
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
      console.log(FLAVOUR, from, message.text, sent.hasPeerReceived, typeof emulatorLibraryPath());
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
    expect(node(['smoke.cjs']).trim()).toBe('cjs alice hi true string');
    expect(node(['smoke.mjs']).trim()).toBe('esm alice hi true string');
  });

  it('a typed usage file passes tsc --strict against the installed typings', () => {
    mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
    if (!existsSync(join(project, 'node_modules', '@types', 'node'))) {
      symlinkSync(join(repoRoot, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'));
    }
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
  });

  it('a shipped example runs from node_modules', () => {
    const out = node([join(project, 'node_modules', 'agora-rtm-node', 'examples', 'call-bot.js')]);
    expect(out.trim().split('\n')).toEqual(['"join me" → accepted: on my way', '"sell me something" → refused: busy']);
  });
});
