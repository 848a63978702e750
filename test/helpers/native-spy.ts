// Counts calls of the addon's RtmClient methods, to prove that an argument was refused before any
// native call. The methods are writable properties of the prototype, so they can be wrapped.
import { native } from '../../lib/native';

export interface NativeSpy {
  calls: string[];
  restore: () => void;
}

export function spyOnNative(methods: readonly string[]): NativeSpy {
  const proto = native.RtmClient.prototype as unknown as Record<string, unknown>;
  const calls: string[] = [];
  const saved: [string, PropertyDescriptor][] = [];
  for (const name of methods) {
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    if (!desc || typeof desc.value !== 'function' || !(desc.writable || desc.configurable)) {
      throw new Error(`cannot spy on the addon's ${name}`);
    }
    saved.push([name, desc]);
    const original = desc.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      ...desc,
      value(this: unknown, ...args: unknown[]) {
        calls.push(name);
        return original.apply(this, args);
      },
    });
  }
  return { calls, restore: () => saved.forEach(([name, desc]) => Object.defineProperty(proto, name, desc)) };
}
