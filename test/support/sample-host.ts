import type { MfaOptions } from '../../libs/setup/src';
import { createExpressSampleApp } from '../../sample-app/express/express-sample.app';
import { SampleAppModule, useSessions } from '../../sample-app/sample-app.module';
import type { Backend } from './backends';
import { Adapter, startTestApp, StartOptions, TestApp, TestHost } from './test-app';

/** The demo in sample-app/, for the suites about the demo itself; every other suite runs on test/fixtures. */
export const SAMPLE_HOST: TestHost = {
  nestModule: (options, mode) => SampleAppModule.register(options, mode),
  useSessions,
  expressApp: createExpressSampleApp,
};

export function startSampleApp(
  backend: Backend,
  adapter: Adapter = 'nest',
  extra: Partial<MfaOptions> = {},
  options: StartOptions = {},
): Promise<TestApp> {
  return startTestApp(backend, adapter, extra, { ...options, host: SAMPLE_HOST });
}
