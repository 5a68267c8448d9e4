import type { UntrustedIpTest } from './ip-ranges';
import type { RiskSignals } from './risk-signals';

/** The client address is on the host's list (or its callback says so); no address, no signal. */
export async function untrustedIpSignal(
  ip: string | undefined,
  test: UntrustedIpTest | null,
): Promise<RiskSignals['untrustedIp']> {
  if (!ip || !test) return undefined;
  return (await test(ip)) ? true : undefined;
}
