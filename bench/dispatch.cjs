// The JS side of the inbound path alone: slices of MessageFromPeer records like the flood's
// (24-byte ASCII texts from one peer, made by the binding's own encoder), handed straight to a
// client's dispatcher, which decodes them and calls one listener that only counts. No emulator,
// no other thread: the figure is the decode + dispatch cost per event on the JS thread, without
// the native call (CallJs, the slice copy) around it. Prints `RESULT` lines; asserts nothing.
//   node bench/dispatch.cjs            env: BENCH_DISPATCH_EVENTS (2 000 000), BENCH_TEXT_BYTES (24)
'use strict';
const fs = require('node:fs');

const EVENTS = Number(process.env.BENCH_DISPATCH_EVENTS ?? 2_000_000);
const TEXT_BYTES = Number(process.env.BENCH_TEXT_BYTES ?? 24);
const SLICE = 1024;

function jsThreadCpuNs() {
  return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]);
}

function main() {
  const { native, EventKind } = require('../dist/native.js');
  // A client whose native object is a stand-in (every method answers 0): its dispatcher is
  // captured and called directly. node-gyp-build hands out the addon's one exports object.
  let dispatch;
  const stub = new Proxy({}, { get: () => () => 0 });
  const addon = require('node-gyp-build')(require('node:path').resolve(__dirname, '..'));
  addon.RtmClient = function FakeClient(_spec, _appId, d) {
    dispatch = d;
    return stub;
  };
  const { RtmClient } = require('../dist/client.js');
  const client = new RtmClient({ spec: { kind: 'emulator', url: 'none' }, appId: 'x' });
  let received = 0;
  client.on('MessageFromPeer', () => {
    received += 1;
  });
  const text = 'x'.repeat(TEXT_BYTES);
  const events = Array.from({ length: SLICE }, (_, i) => [EventKind.MessageFromPeer, 'tx', [1, BigInt(1000 + i), text, null, 1700000000000 + i, false]]);
  const [slice] = native.encodeEventSlices(events);
  // The addon hands over one shared buffer, refilled per slice: the same here.
  const shared = new ArrayBuffer(256 * 1024);
  new Uint8Array(shared).set(new Uint8Array(slice));
  const rounds = Math.ceil(EVENTS / SLICE);
  for (let r = 0; r < 200; r++) dispatch(shared, 0, slice.byteLength); // warm-up (JIT)
  received = 0;
  const cpu0 = jsThreadCpuNs();
  for (let r = 0; r < rounds; r++) dispatch(shared, 0, slice.byteLength);
  const cpu = jsThreadCpuNs() - cpu0;
  if (received !== rounds * SLICE) throw new Error(`received ${received} of ${rounds * SLICE}`);
  console.log(`RESULT dispatch_js_cpu_ns_per_event ${(cpu / received).toFixed(1)}`);
}

main();
