// Types as users get them: a consumer file importing '.', './emulator' and './testing' type-checks
// under moduleResolution node10, node16, nodenext and bundler against the built dist/ (the
// package resolves itself through its "exports" / "typesVersions"); the testing kit's
// waitForEvent is typed from the emitter's events (test/types/testing-kit.ts: misspelled names
// and wrong argument types must fail, each marked @ts-expect-error).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const scratch = mkdtempSync(join(tmpdir(), 'rtm-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function typeCheck(project: string): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, output };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { status: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe('types', () => {
  it('the testing kit rejects misspelled event names and wrong argument types', () => {
    const r = typeCheck(join(repoRoot, 'tsconfig.types.json'));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  for (const [moduleResolution, module] of [
    ['node10', 'commonjs'],
    ['node16', 'node16'],
    ['nodenext', 'nodenext'],
    ['bundler', 'esnext'],
  ] as const) {
    it(`a user's file type-checks with moduleResolution ${moduleResolution}`, () => {
      const dir = join(scratch, moduleResolution);
      mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
      symlinkSync(repoRoot, join(dir, 'node_modules', 'agora-rtm-node'));
      symlinkSync(join(repoRoot, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
      writeFileSync(join(dir, 'consumer.ts'), readFileSync(join(repoRoot, 'test', 'types', 'consumer.ts')));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, target: 'es2022', module, moduleResolution, types: ['node'], skipLibCheck: false },
          files: ['consumer.ts'],
        }),
      );
      const r = typeCheck(join(dir, 'tsconfig.json'));
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    }, 60_000);
  }
});
