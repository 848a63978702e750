import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** Where cmake-js puts the addon, the drop-in emulator library and the native test programs. */
export const buildDir = path.join(repoRoot, 'build', 'Release');
export const dropInLibrary = path.join(buildDir, 'libagora_rtm_emulator.so');
export const fixtures = path.join(repoRoot, 'test', 'fixtures');
