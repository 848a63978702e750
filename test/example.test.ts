// The README's example runs, prints each ConnectionStateChanged with its reason, and exits by
// itself.
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './helpers/paths';

it('examples/remote-login.js: the second login with the same uid kicks the first out', () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'examples', 'remote-login.js')], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toContain('first  ConnectionStateChanged ABORTED (REMOTE_LOGIN)');
  expect(lines).toContain('second ConnectionStateChanged CONNECTED (LOGIN_SUCCESS)');
  expect(lines.filter((l) => l.startsWith('first ')).map((l) => l.replace(/^first\s+/, ''))).toEqual([
    'ConnectionStateChanged CONNECTING (LOGIN)',
    'ConnectionStateChanged CONNECTED (LOGIN_SUCCESS)',
    'ConnectionStateChanged ABORTED (REMOTE_LOGIN)',
    'ConnectionStateChanged DISCONNECTED (LOGOUT)',
  ]);
});
