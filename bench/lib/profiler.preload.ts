/**
 * Loaded into a bench server with `--require` (bench/lib/profile.ts puts it in NODE_OPTIONS), so
 * a bench can profile one stretch of a run, such as the verify run alone, without editing the
 * server: the parent asks over the fork's IPC channel, the V8 profiler runs in-process.
 * Nothing runs until asked; the server ignores these messages (it only listens for 'exit').
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

type Ask = { benchProfile: 'start'; intervalUs: number } | { benchProfile: 'stop'; file: string };

// Connected only when asked, so the measured rounds before run with no inspector session at all.
let session: Session | undefined;

const post = (method: string, params?: object): Promise<any> =>
  new Promise((resolve, reject) => session!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

process.on('message', (m: Ask) => {
  if (!m || typeof m !== 'object' || !('benchProfile' in m)) return;
  const answer = async () => {
    if (m.benchProfile === 'start') {
      if (!session) {
        session = new Session();
        session.connect();
      }
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: m.intervalUs });
      await post('Profiler.start');
      return { benchProfile: 'started' };
    }
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(m.file, JSON.stringify(profile));
    await post('Profiler.disable');
    return { benchProfile: 'stopped', file: m.file };
  };
  answer().then(
    (res) => process.send?.(res),
    (err) => process.send?.({ benchProfile: 'error', error: String(err?.stack ?? err) }),
  );
});
