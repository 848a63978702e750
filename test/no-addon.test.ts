// Without a built addon the package still imports (types, enums, errors), and the first call
// that needs native code says what to do instead of failing at import.
import { afterAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './helpers/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rtm-no-addon-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('imports without the addon and reports a missing build on first use', () => {
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  const script = `
    const rtm = require('./dist/index.js');
    console.log('enum', rtm.LoginErrCode.TIMEOUT, rtm.ConnectionState.CONNECTED);
    try {
      rtm.default.createInstance('0123456789abcdef0123456789abcdef', { backend: 'emulator' });
      console.log('created');
    } catch (e) {
      console.log('error', e.message);
    }`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('enum 9 CONNECTED');
  expect(r.stdout).toMatch(/error .*native addon is not built.*npm rebuild agora-rtm-node/);
});
