// The package's entry points as users load them: `require` and `import` of '.', './emulator'
// and './testing' from the built dist (package self-reference, so package.json "exports" is what
// resolves), each in a fresh Node process. Builds dist when it is missing or older than lib/.
// Loads the addon (lib/native.ts does at import), though it calls none of it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_NUMERIC_ENUMS, API_STRING_ENUMS } from './helpers/api-enums';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { import: { types: string; default: string }; require: { types: string; default: string } }>;
};

interface CjsReport {
  main: string[];
  mainDefaultIsAgoraRTM: boolean;
  createInstance: string;
  getSdkVersion: string;
  rtmErrorIsError: boolean;
  emulator: string[];
  emulatorDefaultIsEmulator: boolean;
  testing: string[];
  resolved: Record<'main' | 'emulator' | 'testing', string>;
}

interface EsmReport {
  main: string[];
  defaultIsAgoraRTM: boolean;
  sameInstanceAsCjs: boolean;
  emulator: string[];
  emulatorDefault: boolean;
  testing: string[];
  resolved: Record<'main' | 'emulator' | 'testing', string>;
}

function runNode(script: string): unknown {
  const out = execFileSync(process.execPath, [join(root, 'test', 'fixtures', script)], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

/** Names api.md requires from 'agora-rtm-node'. */
const REQUIRED = [
  'RtmClient',
  'RtmError',
  'RtmTimeoutError',
  'RtmInvalidArgumentError',
  'RtmInvalidStatusError',
  'RtmInvokeTooOftenError',
  'RtmLimitExceededError',
  'RtmUnauthenticatedError',
  'RtmReleasedError',
  'RtmSdkNotFoundError',
  'RtmInvitationError',
  ...API_STRING_ENUMS,
  ...API_NUMERIC_ENUMS,
];

let cjs: CjsReport;
let esm: EsmReport;

/** Newest modification time of the files dist is built from. */
function newestSource(): number {
  const files = [
    ...readdirSync(join(root, 'lib')).map((f) => join(root, 'lib', f)),
    join(root, 'scripts', 'make-esm.cjs'),
    join(root, 'package.json'),
    join(root, 'tsconfig.json'),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** Oldest build output, or 0 when one is missing. */
function oldestOutput(): number {
  const outs = Object.values(pkg.exports).flatMap((t) =>
    typeof t === 'string' ? [] : [t.import.types, t.import.default, t.require.types, t.require.default],
  );
  return Math.min(...outs.map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)));
}

beforeAll(() => {
  // `npm test` builds first; when run on its own, rebuild only a missing or stale dist (other
  // test files run dist concurrently, so no needless rewrite under their feet).
  if (oldestOutput() < newestSource()) {
    execFileSync('npm', ['run', '--silent', 'build:ts'], { cwd: root, stdio: 'pipe' });
  }
  cjs = runNode('exports-check.cjs') as CjsReport;
  esm = runNode('exports-check.mjs') as EsmReport;
}, 120_000);

describe('package.json exports', () => {
  it('every target file exists after the build', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const file of [target.import.types, target.import.default, target.require.types, target.require.default]) {
        expect(existsSync(join(root, file)), `${subpath}: ${file}`).toBe(true);
      }
    }
  });

  it('require resolves to the CJS files, import to the ESM files', () => {
    const target = (sub: string) => pkg.exports[sub] as Exclude<(typeof pkg.exports)[string], string>;
    const subs = { main: '.', emulator: './emulator', testing: './testing' } as const;
    for (const [key, sub] of Object.entries(subs) as [keyof typeof subs, string][]) {
      expect(cjs.resolved[key]).toBe(join(root, target(sub).require.default));
      expect(fileURLToPath(esm.resolved[key])).toBe(join(root, target(sub).import.default));
    }
  });
});

describe("require('agora-rtm-node')", () => {
  it('has the default export AgoraRTM and every public name', () => {
    expect(cjs.mainDefaultIsAgoraRTM).toBe(true);
    expect(cjs.createInstance).toBe('function');
    expect(cjs.getSdkVersion).toBe('function');
    expect(cjs.rtmErrorIsError).toBe(true);
    for (const name of REQUIRED) expect(cjs.main, name).toContain(name);
  });

  it('./emulator and ./testing', () => {
    expect(cjs.emulator).toContain('Emulator');
    expect(cjs.emulatorDefaultIsEmulator).toBe(true);
    for (const name of ['uniqueId', 'waitForEvent', 'withEmulator']) expect(cjs.testing).toContain(name);
  });
});

describe("import 'agora-rtm-node'", () => {
  it('default is AgoraRTM (not the module object), the same instance as CJS', () => {
    expect(esm.defaultIsAgoraRTM).toBe(true);
    expect(esm.sameInstanceAsCjs).toBe(true);
  });

  it('has exactly the named exports of the CJS build', () => {
    expect(esm.main.filter((k) => k !== 'default')).toEqual(cjs.main.filter((k) => k !== 'default'));
    expect(esm.main).toContain('default');
  });

  it('./emulator and ./testing have the names of their CJS builds', () => {
    expect(esm.emulatorDefault).toBe(true);
    expect(esm.emulator).toEqual(cjs.emulator);
    expect(esm.testing).toEqual(cjs.testing);
  });
});
