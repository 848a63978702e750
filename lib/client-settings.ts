// RtmClient's settings: IRtmService::setParameters and the log settings. Synchronous calls whose
// non-zero return throws, checked before they cross into native code.
import { fromLogFilter } from './codes';
import { LogFilter } from './enums';
import { LocalErrCode, RtmError, fromNativeError, localCodeName } from './errors';
import type { RtmClient as NativeClient } from './native';
import { checkEnumMember, checkInteger, checkParameters, checkSizedString } from './validate';

/** Runs a native setting call: its exception as an RtmError, a non-zero return thrown as SDK_CALL_FAILED. */
function apply(operation: string, call: () => number): void {
  let rc: number;
  try {
    rc = call();
  } catch (err) {
    throw fromNativeError(err, operation);
  }
  if (rc === 0) return;
  throw new RtmError(
    `${operation}() failed: the SDK returned ${rc}; check the argument against the SDK's documentation and the SDK log.`,
    { code: LocalErrCode.SDK_CALL_FAILED, codeName: localCodeName(LocalErrCode.SDK_CALL_FAILED), operation, sdkResult: rc },
  );
}

export function setParameters(native: NativeClient, params: Record<string, unknown> | string): void {
  const json = checkParameters(params, { operation: 'setParameters' }, 'params');
  apply('setParameters', () => native.setParameters(json));
}

export function setLogFile(native: NativeClient, path: string): void {
  const p = checkSizedString(path, { operation: 'setLogFile' }, 'path', { minBytes: 1 });
  apply('setLogFile', () => native.setLogFile(p));
}

export function setLogFilter(native: NativeClient, filter: LogFilter): void {
  const f = checkEnumMember(filter, LogFilter, { operation: 'setLogFilter' }, 'filter', 'LogFilter');
  const value = fromLogFilter(f);
  apply('setLogFilter', () => native.setLogFilter(value));
}

export function setLogFileSize(native: NativeClient, kilobytes: number): void {
  const kb = checkInteger(kilobytes, { operation: 'setLogFileSize' }, 'kilobytes', { min: 1 });
  apply('setLogFileSize', () => native.setLogFileSize(kb));
}
