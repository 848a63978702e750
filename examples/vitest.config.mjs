// The vitest configuration of examples/vitest.test.mjs: just that file.
//   npx vitest run --config examples/vitest.config.mjs
// The cache goes to the system's temp folder, so running the example leaves nothing in examples/
// (it would otherwise be packed with them).
import os from 'node:os';
import path from 'node:path';

export default {
  cacheDir: path.join(os.tmpdir(), 'agora-rtm-node-examples-vite'),
  test: { root: import.meta.dirname, include: ['vitest.test.mjs'] },
};
