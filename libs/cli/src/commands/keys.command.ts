import { InvalidArgumentError } from 'commander';
import { isOperatorStore, KeyRing } from '../../../core/src';
import type { MfaStore } from '../../../core/src';
import { rotateSealedSecrets } from '../../../core/src/crypto/rotate-secrets';
import { CliContext, CliProgress, CliRefusal, CliRuntime, EXIT, RegisterCommand } from '../cli-context';

interface KeyCount {
  keyId: string;
  rows: number;
  current: boolean;
  /** False for rows sealed by a key the configuration no longer lists: they cannot be opened. */
  configured: boolean;
}

interface KeyStatus {
  currentKeyId: string;
  keys: KeyCount[];
  total: number;
  /** Rows the next `keys rotate` would re-seal. */
  notOnCurrentKey: number;
  allOnCurrentKey: boolean;
}

/** `keys status [--check]` and `keys rotate [--batch-size N]`. */
export const registerKeys: RegisterCommand = (program, ctx) => {
  const keys = program.command('keys').description('encryption keys: which key seals how many secrets, and rotation');
  keys
    .command('status')
    .description('count sealed secrets per key id')
    .option('--check', 'exit 1 unless every secret is sealed by the current key')
    .action((opts: { check?: boolean }) => status(ctx, !!opts.check));
  keys
    .command('rotate')
    .description('re-seal every secret under the current (last listed) key; safe while instances serve, and resumable')
    .option('--batch-size <n>', 'rows read per batch', positiveInt, 100)
    .action((opts: { batchSize: number }) => rotate(ctx, opts.batchSize));
};

async function status(ctx: CliContext, check: boolean): Promise<void> {
  const runtime = await ctx.open();
  const report = await keyStatus(runtime);
  if (check && !report.allOnCurrentKey)
    throw new CliRefusal(
      'KEYS_NOT_ROTATED',
      `${report.notOnCurrentKey} of ${report.total} sealed secrets are not on the current key ${report.currentKeyId}: run \`nestjs-mfa keys rotate\`.`,
      EXIT.refused,
      report,
    );
  ctx.output.result(report, statusText(report));
}

async function rotate(ctx: CliContext, batchSize: number): Promise<void> {
  const runtime = await ctx.open();
  const keyRing = new KeyRing(runtime.options.encryption);
  const before = await keyStatus(runtime);
  const unknown = before.keys.filter((k) => !k.configured && k.rows > 0).map((k) => k.keyId);
  if (unknown.length)
    throw new CliRefusal(
      'KEY_NOT_CONFIGURED',
      `Secrets are sealed by key(s) ${unknown.join(', ')}, which the configuration does not list: add them (before the current key) and run again.`,
      EXIT.config,
      before,
    );
  const progress = ctx.output.progress(`re-sealing under ${keyRing.currentKeyId}`, before.notOnCurrentKey);
  let moved: number;
  try {
    moved = await rotateSealedSecrets({ keyRing, store: counting(runtime.store, progress) }, batchSize);
  } finally {
    progress.done();
  }
  const after = await keyStatus(runtime);
  ctx.output.result({ resealed: moved, batchSize, ...after }, [
    `Re-sealed ${moved} secret(s) under ${after.currentKeyId}.`,
    ...statusText(after),
  ]);
}

async function keyStatus(runtime: CliRuntime): Promise<KeyStatus> {
  const { store, options } = runtime;
  if (!isOperatorStore(store))
    throw new CliRefusal(
      'OPERATOR_STORE_UNAVAILABLE',
      'The configured store cannot count sealed secrets per key (it does not implement OperatorStore); the TypeORM store does.',
      EXIT.config,
    );
  const keyRing = new KeyRing(options.encryption);
  const configured = new Set(options.encryption.keys.map((k) => k.id));
  const perKey = new Map<string, number>();
  for (const { keyId, rows } of await store.countSealedSecretsByKey())
    perKey.set(keyId, (perKey.get(keyId) ?? 0) + rows);
  if (!perKey.has(keyRing.currentKeyId)) perKey.set(keyRing.currentKeyId, 0);
  const keys = [...perKey].map(([keyId, rows]) => ({
    keyId,
    rows,
    current: keyId === keyRing.currentKeyId,
    configured: configured.has(keyId),
  }));
  const total = keys.reduce((sum, k) => sum + k.rows, 0);
  const notOnCurrentKey = total - (perKey.get(keyRing.currentKeyId) ?? 0);
  return { currentKeyId: keyRing.currentKeyId, keys, total, notOnCurrentKey, allOnCurrentKey: notOnCurrentKey === 0 };
}

function statusText(report: KeyStatus): string[] {
  return [
    ...report.keys.map(
      (k) =>
        `${k.keyId.padEnd(12)} ${String(k.rows).padStart(8)}${k.current ? '  (current)' : ''}` +
        (k.configured ? '' : '  NOT CONFIGURED: these secrets cannot be opened'),
    ),
    report.allOnCurrentKey
      ? `All ${report.total} sealed secrets are on the current key ${report.currentKeyId}.`
      : `${report.notOnCurrentKey} of ${report.total} sealed secrets still need \`nestjs-mfa keys rotate\`.`,
  ];
}

/** The store, with each re-seal (won or lost to another rotator) ticking the bar. */
function counting(store: MfaStore, progress: CliProgress): MfaStore {
  return Object.assign(Object.create(store) as MfaStore, {
    replaceSealedSecret: async (...args: Parameters<MfaStore['replaceSealedSecret']>) => {
      const replaced = await store.replaceSealedSecret(...args);
      progress.tick();
      return replaced;
    },
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('expected a whole number from 1 to 10000.');
  return n;
}
