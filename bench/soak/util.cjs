// Small helpers of the soak: a seeded PRNG, process figures from /proc, sleep.
'use strict';
const fs = require('node:fs');

/** mulberry32: a fast 32-bit PRNG; rng() in [0, 1). */
function makeRng(seed) {
  let a = seed >>> 0;
  const rng = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  rng.int = (n) => Math.floor(rng() * n);
  rng.pick = (list) => list[Math.floor(rng() * list.length)];
  rng.between = (lo, hi) => lo + rng() * (hi - lo);
  return rng;
}

const MB = (bytes) => bytes / 1048576;

/** RSS and heap (MB), threads (/proc/self/status) and open fds (/proc/self/fd, without the one readdir opens). */
function procStats() {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
  const fds = fs.readdirSync('/proc/self/fd').length - 1;
  const mem = process.memoryUsage();
  return { rss: MB(mem.rss), heap: MB(mem.heapUsed), threads, fds };
}

/** fd → what it is (readlink of /proc/self/fd/N). */
function fdTable() {
  const out = new Map();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      out.set(fd, fs.readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // the directory's own fd, closed by now
    }
  }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full collections, with turns of the event loop between them (FinalizationRegistry callbacks run as tasks). */
async function collect(rounds = 3) {
  for (let i = 0; i < rounds; i++) {
    global.gc();
    await sleep(50);
  }
}

module.exports = { makeRng, procStats, fdTable, sleep, collect, MB };
