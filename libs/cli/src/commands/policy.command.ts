import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { validatePolicy } from '../../../core/src';
import type { FactorType, PolicyDocument, PolicyExplanation, PolicyVersionView } from '../../../core/src';
import { FACTOR_TYPES } from '../../../core/src/factors/factor-type';
import { unmeetableSteps } from '../../../core/src/policy/unmeetable-steps';
import { CliContext, CliRefusal, EXIT, RegisterCommand } from '../cli-context';

interface ExplainOptions {
  user: string;
  groups?: string[];
  service?: string;
  operation?: string;
  sensitivity?: string[];
  route?: string;
  country?: string;
  risk?: number;
  deviceTrusted?: boolean;
  machine?: boolean;
}

/** `policy validate | list | create | diff | activate | rollback | explain`. */
export const registerPolicy: RegisterCommand = (program, ctx) => {
  const policy = program
    .command('policy')
    .description('policy versions in the store: validate, diff, activate, explain');
  policy
    .command('validate <file>')
    .description('check a policy document (JSON); errors by JSON path, exit 1 when invalid. Needs no database')
    .action((file: string, _opts: unknown, command: Command) =>
      validate(ctx, file, !!(command.optsWithGlobals<{ config?: string }>().config || process.env.MFA_CONFIG)),
    );
  policy
    .command('list')
    .description('stored versions, with the active and report-only ones marked')
    .action(async () => {
      const versions = await (await ctx.open()).engine.listPolicyVersions();
      ctx.output.result({ versions }, versions.length ? versions.map(versionLine) : ['No policy versions are stored.']);
    });
  withActor(policy.command('create <file>').description('store a document as a new version (not active yet)'))
    .option('--comment <text>', 'why, kept with the version')
    .action(async (file: string, opts: { actor?: string; comment?: string }) => {
      const { engine } = await ctx.open();
      const created = await engine.createPolicyVersion(readDocument(file), actorOf(opts), opts.comment);
      ctx.output.result({ version: created }, [
        `Stored version ${created.version}; activate it with \`policy activate ${created.version}\`.`,
      ]);
    });
  policy
    .command('diff <from> <to>')
    .description('what changes for whom between two stored versions')
    .action(async (from: string, to: string) => {
      const diff = await (await ctx.open()).engine.diffPolicyVersions(versionArg(from), versionArg(to));
      ctx.output.result(diff, diffText(diff));
    });
  withActor(
    policy.command('activate <version>').description('make a stored version the enforced one (audited)'),
  ).action(async (version: string, opts: { actor?: string }) => {
    const actor = actorOf(opts);
    const active = await (await ctx.open()).engine.activatePolicyVersion(versionArg(version), actor);
    ctx.output.result({ active, actor }, [`Version ${active.version} is active (by ${actor}).`]);
  });
  withActor(
    policy.command('rollback').description('re-activate the version active before the current one (audited)'),
  ).action(async (opts: { actor?: string }) => {
    const actor = actorOf(opts);
    const active = await (await ctx.open()).engine.rollbackPolicy(actor);
    ctx.output.result({ active, actor }, [`Rolled back: version ${active.version} is active (by ${actor}).`]);
  });
  policy
    .command('explain')
    .description('what a user would face on a service/operation (a route), and why; writes nothing')
    .requiredOption('--user <id>', "the user's id")
    .option('--groups <list>', 'comma-separated groups of the user', list)
    .option('--service <name>', 'the service the route belongs to')
    .option('--operation <name>', 'the operation inside the service')
    .option('--sensitivity <list>', 'comma-separated sensitivity labels of the route', list)
    .option('--route <route>', '`METHOD /path`, shown with the answer (routes map to service and operation in the app)')
    .option('--country <code>', 'ISO 3166-1 alpha-2 country of the request')
    .option('--risk <score>', 'a risk score from 0 to 1 (else scored from the user history)', riskArg)
    .option('--device-trusted', 'the request comes from a trusted device')
    .option('--machine', 'an API key or service account rather than a person')
    .action((opts: ExplainOptions) => explain(ctx, opts));
};

async function validate(ctx: CliContext, file: string, configGiven: boolean): Promise<void> {
  const document = readDocument(file);
  const problems = validatePolicy(document);
  // Passkey steps are meetable only where `webauthn` is configured: known from a config, if any.
  const available = await availableFactors(ctx, configGiven);
  if (!problems.length) problems.push(...unmeetableSteps(document as PolicyDocument, available));
  if (problems.length)
    throw new CliRefusal(
      'POLICY_INVALID',
      `${file} is not a valid policy: ${problems.length} problem(s).`,
      EXIT.refused,
      {
        errors: problems,
      },
    );
  ctx.output.result({ valid: true, file, errors: [] }, [`${file} is a valid policy.`]);
}

/**
 * Only a configuration that is simply absent (no --config, no MFA_CONFIG) is checked as one
 * without passkeys: the environment cannot name `webauthn` options. A config that was given
 * and does not load refuses with the loader's own message, never a guess at what it said.
 */
async function availableFactors(ctx: CliContext, configGiven: boolean): Promise<readonly FactorType[]> {
  const withoutPasskeys = FACTOR_TYPES.filter((f) => f !== 'webauthn');
  try {
    return (await ctx.options()).webauthn ? FACTOR_TYPES : withoutPasskeys;
  } catch (err) {
    if (!(err instanceof CliRefusal) || err.exitCode !== EXIT.config || configGiven || FILE_FAILURES.has(err.code))
      throw err;
    ctx.output.note('note: no configuration found; checked as a deployment without `webauthn` options.');
    return withoutPasskeys;
  }
}

// The loader's refusals that only a named config file can cause.
const FILE_FAILURES = new Set(['CONFIG_NOT_FOUND', 'CONFIG_UNLOADABLE']);

async function explain(ctx: CliContext, opts: ExplainOptions): Promise<void> {
  if (!opts.service && !opts.operation && !opts.sensitivity)
    throw new CliRefusal('USAGE', 'Name the target: --service (with --operation) or --sensitivity.', EXIT.usage);
  const { engine } = await ctx.open();
  const target = { service: opts.service, operation: opts.operation, sensitivity: opts.sensitivity, route: opts.route };
  const context = {
    country: opts.country?.toUpperCase(),
    risk: opts.risk,
    deviceTrusted: opts.deviceTrusted,
    machine: opts.machine,
  };
  const explanation = await engine.explain({ userId: opts.user, groups: opts.groups }, target, context);
  ctx.output.result({ user: opts.user, target, explanation }, explainText(explanation));
}

function withActor(command: Command): Command {
  return command.option('--actor <name>', "the operator's name, kept in the audit trail (or set MFA_OPERATOR)");
}

function actorOf(opts: { actor?: string }): string {
  const actor = (opts.actor ?? process.env.MFA_OPERATOR ?? '').trim();
  if (!actor)
    throw new CliRefusal(
      'ACTOR_REQUIRED',
      "Policy changes are audited with the operator's name: pass --actor <name> or set MFA_OPERATOR.",
      EXIT.usage,
    );
  return actor;
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliRefusal('FILE_UNREADABLE', `Cannot read ${file}: ${(err as Error).message}`, EXIT.refused);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliRefusal('POLICY_INVALID', `${file} is not JSON: ${(err as Error).message}`, EXIT.refused, {
      errors: [{ path: '$', message: 'not a JSON document' }],
    });
  }
}

function versionArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliRefusal('USAGE', `"${value}" is not a version number.`, EXIT.usage);
  return n;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function riskArg(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1.');
  return n;
}

function versionLine(v: PolicyVersionView): string {
  const marks = [v.active && 'active', v.reportOnly && 'report-only'].filter(Boolean).join(', ');
  return `v${v.version}  ${v.createdAt}  ${v.author}${v.comment ? `  "${v.comment}"` : ''}${marks ? `  [${marks}]` : ''}`;
}

function diffText(diff: Awaited<ReturnType<import('../../../core/src').MfaEngine['diffPolicyVersions']>>): string[] {
  if (diff.identical) return [`v${diff.from.version} and v${diff.to.version} decide the same.`];
  return [
    `v${diff.from.version} → v${diff.to.version}`,
    ...diff.services.map(
      (s) =>
        `  ${s.change} ${s.service}${s.operation ? `.${s.operation}` : ''}: ${s.before ?? '—'} → ${s.after ?? '—'}`,
    ),
    ...diff.rules.map((r) => `  ${r.change} rule ${r.ruleId}: ${r.before ?? '—'} → ${r.after ?? '—'}`),
    ...diff.settings.map((s) => `  setting ${s.setting}: ${s.before} → ${s.after}`),
  ];
}

function explainText(e: PolicyExplanation): string[] {
  const rule = 'ruleId' in e ? e.ruleId : e.ruleIds.join(', ') || '—';
  return [
    `${e.outcome} (policy v${e.policyVersion}, rule ${rule})`,
    ...e.reasons.map((r) => `  because ${r}`),
    ...e.layers.map((l) => `  layer ${l.id}: ${l.effect}${l.satisfied ? ' (satisfied)' : ''} — ${l.reason}`),
  ];
}
