// 'agora-rtm-node/emulator': start, control and stop emulated RTM services.
// For now every service runs in-process (url 'inproc://NAME'); the TCP server (host/port) is a
// later issue.
import { LocalErrCode, localError, RtmError } from './errors';
import { native } from './native';
import { checkOptions, checkUserId, describe, type CheckContext } from './validate';

/** Overrides of the emulator's limits profile (rate limits, timeouts…), by the profile's names. */
export type EmulatorLimits = Record<string, number | string | boolean>;

export interface EmulatorStartOptions {
  /** TCP server: not implemented yet. */
  host?: string;
  /** TCP server: not implemented yet. */
  port?: number;
  /** Token verification: not implemented yet. */
  appCertificate?: string;
  /** Overrides of the limits profile. */
  limits?: EmulatorLimits;
}

let nextId = 0;

function uniqueServiceName(): string {
  nextId += 1;
  return `emu-${process.pid}-${nextId}-${Math.random().toString(36).slice(2, 8)}`;
}

function notImplemented(what: string): RtmError {
  return localError(
    'Emulator.start',
    LocalErrCode.NOT_IMPLEMENTED,
    `Emulator.start(): ${what} is not implemented yet; omit it to get an in-process service ('inproc://NAME'), which clients reach with createInstance(appId, { backend: 'emulator', emulator: emu.url }).`,
  );
}

/** An emulated RTM service. */
export class Emulator {
  static #default: Emulator | undefined;

  /** The service's name ('default' for the always-present one). */
  readonly name: string;
  /** Pass as `emulator` to AgoraRTM.createInstance, e.g. 'inproc://emu-123-1-abc'. */
  readonly url: string;
  readonly #stoppable: boolean;
  #stopped = false;

  private constructor(name: string, stoppable: boolean) {
    this.name = name;
    this.url = `inproc://${name}`;
    this.#stoppable = stoppable;
  }

  /** The always-present in-process service that clients use when no `emulator` URL is given. */
  static get default(): Emulator {
    Emulator.#default ??= new Emulator('default', false);
    return Emulator.#default;
  }

  /** Starts a new, independent in-process service (its own users, channels and limits). */
  static async start(options?: EmulatorStartOptions): Promise<Emulator> {
    const ctx: CheckContext = { operation: 'Emulator.start' };
    const opts = checkOptions(options, ctx, 'options', ['host', 'port', 'appCertificate', 'limits']);
    if (opts.host !== undefined || opts.port !== undefined) throw notImplemented('the TCP server (host/port)');
    if (opts.appCertificate !== undefined) throw notImplemented('token verification (appCertificate)');
    const limits = checkOptions(opts.limits, ctx, 'limits', Object.keys(opts.limits ?? {}));
    const name = uniqueServiceName();
    try {
      native.emulatorCreate(name, JSON.stringify(limits));
    } catch (err) {
      throw localError(
        'Emulator.start',
        LocalErrCode.EMULATOR,
        `Emulator.start(): the emulator refused the service: ${(err as Error).message ?? String(err)}. Check the limits (${describe(limits)}) against the emulator's limits profile.`,
        err,
      );
    }
    return new Emulator(name, true);
  }

  /** Objects the emulator has handed out and not freed yet (0 once every client is released). */
  static liveObjectCount(): number {
    return native.emulatorLiveObjects();
  }

  /** The logged-in user ids. */
  users(): string[] {
    this.#assertRunning('users');
    return native.emulatorUsers(this.name);
  }

  /** Ends the user's session as a remote login would (ABORTED, REMOTE_LOGIN). False when no such session. */
  kick(uid: string): boolean {
    this.#assertRunning('kick');
    const id = checkUserId(uid, { operation: 'Emulator.kick' });
    return native.emulatorKick(this.name, id);
  }

  /** Expires the user's token (AccessToken 006: stays connected, gets TokenExpired). False when no such session. */
  expireToken(uid: string): boolean {
    this.#assertRunning('expireToken');
    const id = checkUserId(uid, { operation: 'Emulator.expireToken' });
    return native.emulatorExpireToken(this.name, id);
  }

  /** Stops the service: every session is kicked. Idempotent. The default service cannot be stopped. */
  async stop(): Promise<void> {
    if (!this.#stoppable) {
      throw localError('Emulator.stop', LocalErrCode.EMULATOR, "Emulator.stop(): the 'default' service always exists and cannot be stopped.");
    }
    if (this.#stopped) return;
    this.#stopped = true;
    native.emulatorDestroy(this.name);
  }

  /** `await using emu = await Emulator.start()` stops it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#stoppable ? this.stop() : Promise.resolve();
  }

  #assertRunning(operation: string): void {
    if (this.#stopped) {
      throw localError(`Emulator.${operation}`, LocalErrCode.EMULATOR, `Emulator.${operation}(): the service ${this.url} was stopped.`);
    }
  }
}

export default Emulator;
