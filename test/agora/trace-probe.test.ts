// The trace probe (test/native/trace_probe.cpp) run on the real libagora_rtm_sdk.so named by
// AGORA_RTM_SDK_PATH and on the drop-in emulator library, compared step key by step key.
// Every difference must be listed in test/agora/known-differences.json with both values and a
// reason; a listed difference that no longer occurs (or now shows other values) fails too, so
// that the file stays true.
//
// The probe is offline-safe: on a host without network the real SDK's login stays CONNECTING
// (it times out after 6 s); the probe only looks at what happens while it is CONNECTING.
//
// TRACE_PROBE_BUILD_DIR overrides where the probe and the emulator library are taken from
// (default: build/Release, where `npm run build` puts them).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDir, repoRoot } from '../helpers/paths';

const sdkPath = process.env.AGORA_RTM_SDK_PATH ?? '';
const skipReason = sdkPath
  ? ''
  : 'AGORA_RTM_SDK_PATH is not set: the trace comparison needs the real libagora_rtm_sdk.so ' +
    '(set AGORA_RTM_SDK_PATH=/path/to/libagora_rtm_sdk.so and run `npm run test:agora`)';
if (skipReason) console.warn(`trace-probe.test.ts skipped: ${skipReason}`);

const programDir = process.env.TRACE_PROBE_BUILD_DIR ? path.resolve(process.env.TRACE_PROBE_BUILD_DIR) : buildDir;
const probe = path.join(programDir, 'trace_probe');
const emulatorLibrary = path.join(programDir, 'libagora_rtm_emulator.so');
const knownDifferencesFile = path.join(repoRoot, 'test', 'agora', 'known-differences.json');

interface KnownDifference {
  key: string;
  real: string;
  emulator: string;
  reason: string;
}

const ABSENT = '<absent>';

/** Runs the probe on one library; returns its observations by step key. */
function trace(library: string): Map<string, string> {
  // The real SDK writes agorartm.log into the working directory: give it a scratch one.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-probe-'));
  try {
    const result = spawnSync(probe, [library], { cwd, encoding: 'utf8', timeout: 60_000 });
    if (result.error) throw result.error;
    if (result.status !== 0 || !/^end ok$/m.test(result.stdout)) {
      throw new Error(
        `trace_probe ${library} failed (status ${result.status}, signal ${result.signal}):\n` +
          `${result.stdout}\n${result.stderr.slice(-2000)}`,
      );
    }
    const steps = new Map<string, string>();
    for (const line of result.stdout.split('\n')) {
      if (line === '') continue;
      const space = line.indexOf(' ');
      const key = space < 0 ? line : line.slice(0, space);
      const value = space < 0 ? '' : line.slice(space + 1);
      if (steps.has(key)) throw new Error(`trace_probe printed the step key ${key} twice`);
      steps.set(key, value);
    }
    return steps;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

function loadKnownDifferences(): KnownDifference[] {
  const parsed = JSON.parse(fs.readFileSync(knownDifferencesFile, 'utf8')) as { differences: KnownDifference[] };
  const seen = new Set<string>();
  for (const d of parsed.differences) {
    for (const field of ['key', 'real', 'emulator', 'reason'] as const) {
      if (typeof d[field] !== 'string' || (field === 'reason' && d.reason.trim() === '')) {
        throw new Error(`known-differences.json: entry ${JSON.stringify(d)} needs a string "${field}"`);
      }
    }
    if (seen.has(d.key)) throw new Error(`known-differences.json lists ${d.key} twice`);
    seen.add(d.key);
  }
  return parsed.differences;
}

describe.skipIf(!sdkPath)('trace probe: the real SDK and the emulator answer the same calls alike', () => {
  it('every difference in the trace is a known, listed difference, and every listed one still occurs', () => {
    expect(fs.existsSync(probe), `${probe} is missing: build it with npm run build`).toBe(true);
    expect(fs.existsSync(sdkPath), `AGORA_RTM_SDK_PATH=${sdkPath} does not exist`).toBe(true);
    const real = trace(sdkPath);
    const emulator = trace(emulatorLibrary);
    const known = loadKnownDifferences();
    const knownByKey = new Map(known.map((d) => [d.key, d]));

    const keys = [...new Set([...real.keys(), ...emulator.keys()])];
    const unlisted: string[] = [];
    const listed: string[] = [];
    const occurred = new Set<string>();
    for (const key of keys) {
      const r = real.get(key) ?? ABSENT;
      const e = emulator.get(key) ?? ABSENT;
      if (r === e) continue;
      const entry = knownByKey.get(key);
      if (entry && entry.real === r && entry.emulator === e) {
        listed.push(key);
        occurred.add(key);
      } else {
        unlisted.push(`${key}\n    real:     ${r}\n    emulator: ${e}` +
          (entry ? `\n    listed:   real ${entry.real} / emulator ${entry.emulator}` : ''));
        if (entry) occurred.add(key); // reported as unlisted values; not also as stale
      }
    }
    const stale = known
      .filter((d) => !occurred.has(d.key))
      .map((d) => `${d.key} (listed real ${d.real} / emulator ${d.emulator}; now real ${real.get(d.key) ?? ABSENT} / emulator ${emulator.get(d.key) ?? ABSENT})`);

    console.log(
      `trace-probe: ${keys.length} steps compared, ${listed.length + unlisted.length} differences, ` +
        `${listed.length} listed in known-differences.json, ${unlisted.length} unlisted, ${stale.length} stale entries`,
    );
    expect(unlisted, `differences not listed in ${knownDifferencesFile}:\n  ${unlisted.join('\n  ')}`).toEqual([]);
    expect(stale, `entries of ${knownDifferencesFile} that no longer occur:\n  ${stale.join('\n  ')}`).toEqual([]);
  });
});
