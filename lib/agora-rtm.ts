// AgoraRTM: createInstance / getSdkVersion and the choice of backend.
import { RtmClient, SAFETY_TIMEOUTS_MS, type SafetyTimeouts } from './client';
import * as enums from './enums';
import { LogFilter } from './enums';
import { fromNativeError, invalidArgument, LocalErrCode, localCodeName, RtmError, RtmReleasedError } from './errors';
import { native, type BackendSpec } from './native';
import { checkAppId, checkEnumMember, checkInteger, checkOptions, checkSizedString, type CheckContext } from './validate';

export type Backend = 'agora' | 'emulator';

/** Options of AgoraRTM.getSdkVersion (and the backend part of createInstance's). */
export interface BackendOptions {
  /** Default: env AGORA_RTM_BACKEND, else 'agora'. */
  backend?: Backend;
  /**
   * 'agora' only: path of libagora_rtm_sdk.so. Default: env AGORA_RTM_SDK_PATH, else
   * libagora_rtm_sdk.so through the dynamic loader's search path. A named library that does not
   * load is an RtmSdkNotFoundError (no fall-back to another path).
   */
  sdkPath?: string;
}

export interface CreateInstanceOptions extends BackendOptions {
  /**
   * 'emulator' only: the emulated service, e.g. `emu.url` of an Emulator ('inproc://NAME').
   * Default: env AGORA_RTM_EMULATOR, else the in-process default service.
   */
  emulator?: string;
  /** setLogFile(path), applied first. */
  logFile?: string;
  /** setLogFileSize(kilobytes). */
  logFileSize?: number;
  /** setLogFilter(filter). */
  logFilter?: LogFilter;
  /** setParameters(parameters): an object or a JSON string. */
  parameters?: Record<string, unknown> | string;
  /**
   * How many events may wait for this client's listeners before it emits 'Backlog' (a listener
   * that cannot keep up); see RtmClient.pendingEvents. An integer ≥ 1; default 10 000.
   */
  backlogHighWaterMark?: number;
}

/** The env variables read by createInstance / getSdkVersion. */
export const ENV = {
  backend: 'AGORA_RTM_BACKEND',
  sdkPath: 'AGORA_RTM_SDK_PATH',
  emulator: 'AGORA_RTM_EMULATOR',
} as const;

/** The SDK's file name, found through the dynamic loader's search path. */
export const DEFAULT_SDK_LIBRARY = 'libagora_rtm_sdk.so';

const INSTANCE_KEYS = [
  'backend',
  'sdkPath',
  'emulator',
  'logFile',
  'logFileSize',
  'logFilter',
  'parameters',
  'backlogHighWaterMark',
  '_safetyTimeoutsMs',
];

function envValue(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

function resolveBackend(opts: Record<string, unknown>, ctx: CheckContext): Backend {
  const fromOption = opts.backend;
  const value = fromOption ?? envValue(ENV.backend) ?? 'agora';
  if (value === 'agora' || value === 'emulator') return value;
  const where = fromOption !== undefined ? 'options.backend' : `env ${ENV.backend}`;
  if (typeof value !== 'string') throw new TypeError(`${ctx.operation}(): ${where} must be 'agora' or 'emulator'`);
  throw invalidArgument(ctx.operation, undefined, `${where} must be 'agora' or 'emulator', got ${JSON.stringify(value)}`);
}

/**
 * The backend to load. 'agora' loads the one library the user named — options.sdkPath, else env
 * AGORA_RTM_SDK_PATH — or, when none is named, libagora_rtm_sdk.so through the loader's search
 * path. A named library that fails to load is an error, never a fall-back to another one (not
 * even to a library this process already loaded).
 */
function backendSpec(opts: Record<string, unknown>, ctx: CheckContext): BackendSpec {
  const backend = resolveBackend(opts, ctx);
  if (backend === 'emulator') return { backend: 'emulator' };
  const named =
    opts.sdkPath !== undefined
      ? checkSizedString(opts.sdkPath, ctx, 'options.sdkPath', { minBytes: 1 })
      : envValue(ENV.sdkPath);
  return { backend: 'agora', candidates: [named ?? DEFAULT_SDK_LIBRARY] };
}

function isInprocUrl(url: string): boolean {
  return url.startsWith('inproc://');
}

/**
 * Creates a client: loads the backend, initializes an IRtmService and applies the options.
 * Throws RtmSdkNotFoundError when backend 'agora' cannot load the SDK, and an RtmError with an
 * InitErrCode (operation 'initialize') when the SDK refuses the App ID.
 */
function createInstance(appId: string, options?: CreateInstanceOptions): RtmClient {
  const id = checkAppId(appId, { operation: 'createInstance', cppEnum: 'INIT_ERR_CODE' });
  // A bad option is the caller's error, not an SDK init code: ERR_RTM_INVALID_ARGUMENT naming it.
  const ctx: CheckContext = { operation: 'createInstance' };
  const opts = checkOptions(options, ctx, 'options', INSTANCE_KEYS);
  const spec = backendSpec(opts, ctx);
  // An option of the other backend is a mistake worth saying (a test meant for the emulator
  // must not quietly run against the real SDK, nor the other way round).
  if (spec.backend === 'agora' && opts.emulator !== undefined) {
    throw invalidArgument(ctx.operation, undefined, "options.emulator applies only to backend 'emulator'; the backend here is 'agora'");
  }
  if (spec.backend === 'emulator' && opts.sdkPath !== undefined) {
    throw invalidArgument(ctx.operation, undefined, "options.sdkPath applies only to backend 'agora'; the backend here is 'emulator'");
  }

  // Check every option before the service exists.
  const emulatorUrl =
    spec.backend === 'emulator'
      ? opts.emulator !== undefined
        ? checkSizedString(opts.emulator, ctx, 'options.emulator', { minBytes: 1 })
        : envValue(ENV.emulator)
      : undefined;
  const logFile =
    opts.logFile !== undefined ? checkSizedString(opts.logFile, ctx, 'options.logFile', { minBytes: 1 }) : undefined;
  const logFileSize =
    opts.logFileSize !== undefined ? checkInteger(opts.logFileSize, ctx, 'options.logFileSize', { min: 1 }) : undefined;
  const logFilter =
    opts.logFilter !== undefined
      ? checkEnumMember(opts.logFilter, LogFilter, ctx, 'options.logFilter', 'LogFilter')
      : undefined;
  const parameters = opts.parameters as Record<string, unknown> | string | undefined;
  // Hidden (tests): shorter safety timeouts, e.g. { login: 200 }.
  let safetyTimeoutsMs: Partial<SafetyTimeouts> | undefined;
  if (opts._safetyTimeoutsMs !== undefined) {
    const raw = checkOptions(opts._safetyTimeoutsMs, ctx, '_safetyTimeoutsMs', Object.keys(SAFETY_TIMEOUTS_MS));
    safetyTimeoutsMs = {};
    for (const [op, ms] of Object.entries(raw)) {
      safetyTimeoutsMs[op as keyof SafetyTimeouts] = checkInteger(ms, ctx, `_safetyTimeoutsMs.${op}`, { min: 1 });
    }
  }

  const backlogHighWaterMark =
    opts.backlogHighWaterMark === undefined
      ? undefined
      : checkInteger(opts.backlogHighWaterMark, ctx, 'options.backlogHighWaterMark', { min: 1 });

  const client = new RtmClient({ spec, appId: id, safetyTimeoutsMs, backlogHighWaterMark });
  try {
    if (logFile !== undefined) client.setLogFile(logFile);
    if (logFileSize !== undefined) client.setLogFileSize(logFileSize);
    if (logFilter !== undefined) client.setLogFilter(logFilter);
    if (emulatorUrl !== undefined) {
      try {
        client.setParameters({ 'rtm.emulator.url': emulatorUrl });
      } catch (err) {
        if (!(err instanceof RtmError) || err instanceof RtmReleasedError) throw err;
        const message = isInprocUrl(emulatorUrl)
          ? `createInstance(): the emulator refused ${JSON.stringify(emulatorUrl)}: no in-process service of that ` +
            "name is running; use the url of a started Emulator (Emulator.start()) or 'inproc://default'."
          : `createInstance(): ${JSON.stringify(emulatorUrl)} is not an emulator URL: expected 'inproc://NAME' ` +
            "(an in-process service, e.g. the url of Emulator.start()) or 'rtm://HOST:PORT' (a service served over TCP).";
        throw new RtmError(message, {
          code: LocalErrCode.EMULATOR_URL,
          codeName: localCodeName(LocalErrCode.EMULATOR_URL),
          operation: 'createInstance',
          cause: err,
        });
      }
    }
    if (parameters !== undefined) client.setParameters(parameters);
  } catch (err) {
    void client.release();
    throw err;
  }
  return client;
}

/** getRtmSdkVersion() of the backend the options select (loading it if needed). */
function getSdkVersion(options?: BackendOptions): string {
  const ctx: CheckContext = { operation: 'getSdkVersion' };
  // createInstance's options are accepted too (only the backend part matters here).
  const opts = checkOptions(options, ctx, 'options', INSTANCE_KEYS);
  const spec = backendSpec(opts, ctx);
  try {
    return native.getSdkVersion(spec);
  } catch (err) {
    throw fromNativeError(err, 'getSdkVersion');
  }
}

/** The default export, as in the Web SDK: `AgoraRTM.createInstance(appId, options)`. */
const AgoraRTM = {
  createInstance,
  getSdkVersion,
  // The enums, as in the Web SDK (AgoraRTM.ConnectionState.CONNECTED); also named exports.
  ...enums,
} as const;

export type AgoraRTMStatic = typeof AgoraRTM;

export { AgoraRTM, createInstance, getSdkVersion };
export default AgoraRTM;
