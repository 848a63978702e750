// The vitest configuration of examples/vitest.test.mjs: just that file.
//   npx vitest run --config examples/vitest.config.mjs
export default { test: { root: import.meta.dirname, include: ['vitest.test.mjs'] } };
