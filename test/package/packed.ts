// Shared by the packed-package tests: the tarball as `npm pack` makes it, the build root the
// prebuilds were compiled in, and an npm runner that reports its output when it fails.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

export interface Packed {
  tarball: string;
  size: number;
  files: string[];
}

export function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { stdout: string; all: string } {
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8' } satisfies SpawnSyncOptions);
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, all: `${r.stdout}${r.stderr}` };
}

/** `npm pack` of the checkout into `dir`; dist/ is built by the main suite (CI runs it first). */
export function pack(dir: string): Packed {
  const prebuilds = join(repoRoot, 'prebuilds', 'linux-x64');
  if (!existsSync(prebuilds) || readdirSync(prebuilds).length === 0) {
    throw new Error('prebuilds/linux-x64 is empty: run `npm run build:prebuilds` first (CI does)');
  }
  const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], repoRoot).stdout) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  return { tarball: join(dir, packed!.filename), size: packed!.size, files: packed!.files.map((f) => f.path) };
}

/** The Debian bullseye root of scripts/make-build-root.sh, as scripts/build-prebuilds.sh finds it. */
export const buildRoot =
  process.env.RTM_BUILD_ROOT ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agora-rtm-node', 'bullseye-amd64');

/**
 * A PATH with node, npm and sh only (npm runs scripts with sh): no cc, c++, g++, gcc, cmake, make
 * or ninja, as on a machine with no build tools.
 */
export function pathWithoutCompiler(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const npmCli = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(process.execPath, join(dir, 'node'));
  symlinkSync(join(npmCli, 'npm', 'bin', 'npm-cli.js'), join(dir, 'npm'));
  symlinkSync('/bin/sh', join(dir, 'sh'));
  return dir;
}
