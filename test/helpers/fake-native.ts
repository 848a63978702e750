// The mocked '../lib/native' of the unit tests that run against a scripted fake of the native
// client (no addon): the real EventKind table, and `native` handing out the test's fake RtmClient.
//   vi.mock('../lib/native', async (importOriginal) =>
//     (await import('./helpers/fake-native')).fakeNativeModule(await importOriginal(), fake.FakeNativeClient));
import type * as NativeModule from '../../lib/native';

export function fakeNativeModule(original: unknown, RtmClient: unknown): Pick<typeof NativeModule, 'EventKind' | 'native'> {
  return {
    EventKind: (original as typeof NativeModule).EventKind,
    native: { RtmClient, getSdkVersion: () => 'fake' } as unknown as typeof NativeModule.native,
  };
}
