// The documentation a user starts from: the API reference builds from the typings with TypeDoc
// without a warning (broken {@link}s, referenced but unexported types), and every relative link
// and #anchor in README.md and docs/*.md points at a file or heading that exists; the README's
// quick start runs as written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths';

const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('documentation', () => {
  it('the TypeDoc API reference builds with no warning', () => {
    const typedoc = join(repoRoot, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: repoRoot, encoding: 'utf8' });
    const output = `${r.stdout}${r.stderr}`;
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  }, 60_000);

  it("the README's quick start runs as written and prints the message", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain('// quick-start.mjs');
    const dir = mkdtempSync(join(repoRoot, 'build', 'quick-start-'));
    writeFileSync(join(dir, 'quick-start.mjs'), block!);
    const r = spawnSync(process.execPath, [join(dir, 'quick-start.mjs')], { encoding: 'utf8', timeout: 20_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('alice: hello\n');
    expect(r.status).toBe(0);
  });

  it.each(pages)('%s has no broken relative link or anchor', (page) => {
    const text = readFileSync(join(repoRoot, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const [file, anchor] = target!.split('#') as [string, string | undefined];
      const path = file ? join(repoRoot, dirname(page), file) : join(repoRoot, page);
      if (!existsSync(path)) broken.push(target!);
      else if (anchor && path.endsWith('.md') && !anchors(readFileSync(path, 'utf8')).has(anchor)) broken.push(target!);
    }
    expect(broken).toEqual([]);
  });
});
