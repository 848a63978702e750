// node-gyp-build ships no types.
declare module 'node-gyp-build' {
  /** Loads the addon of the package in `dir` (build/Release first, then prebuilds/). */
  function load(dir: string): unknown;
  namespace load {
    /** The path of that addon, without loading it; throws when none fits. */
    function path(dir: string): string;
  }
  export = load;
}
