/**
 * P8's data: set-based INSERT … SELECT over a number series (generate_series on PostgreSQL, a
 * recursive CTE on SQLite), into the tables the migrations built, indexes in place. User n's id
 * is a multiplicative hash of n, so ids are spread over the key space as real ones are, yet every
 * table agrees on them without a lookup. Seeded users' secrets are dummy ciphertext: only the
 * measured users (created through the server's /bench/seed) ever verify.
 */
import { postgresDialect } from './growth-seed.postgres';
import { sqliteDialect } from './growth-seed.sqlite';

export type SeedKind = 'sqlite' | 'postgres';

export type SeedDb = { kind: SeedKind; run(sql: string): Promise<void>; close(): Promise<void> };

/** A database of the bench's own: the server's env for it, and where the bench itself connects. */
export interface SeedTarget {
  kind: SeedKind;
  env: Record<string, string>;
  store: string;
  open(): Promise<SeedDb>;
  drop(): Promise<void>;
}

/** SQL fragments per dialect, so each table is written once below. */
export interface SeedDialect {
  /** `INSERT INTO table (cols) SELECT exprs` over n = from..to. */
  insert(table: string, cols: Record<string, string>, from: number, to: number, where?: string): string;
  /** The id of user `expr` (1-based), the same in both dialects. */
  user(expr: string): string;
  uuid: string;
  /** 2 hex digits per byte. */
  hex(bytes: 16 | 32): string;
  /** A random whole number in 0..k-1, drawn per row. */
  int(k: number): string;
}

export const DAY_MS = 86_400_000;
/**
 * Hourly retention with a one-hour grace keeps one to two hours of short-lived rows; the seed is
 * the state just after a run (65 minutes), so the server's own retention finds nothing to prune
 * mid-measurement.
 */
export const CHALLENGE_WINDOW_MS = 65 * 60_000;
export const SIGNINS_PER_DAY = 2; // assumed, each opening one challenge
/** Rows a statement: progress shows, and no SQLite statement (synchronous, in-process) blocks for minutes. */
export const CHUNK = 250_000;
type Insert = Parameters<SeedDialect['insert']>;

/** The id the seed gives user n, as the SQL computes it. */
export const userIdOf = (n: number): string => `u${((n * 2654435761) % 4294967296).toString(16).padStart(8, '0')}`;

function dialect(kind: SeedKind) {
  const d = kind === 'postgres' ? postgresDialect : sqliteDialect;
  /** One of the values, the random number drawn once per row. */
  const pick = (values: string[]) =>
    `(CASE ${d.int(values.length)} ${values.map((v, i) => `WHEN ${i} THEN '${v}'`).join(' ')} END)`;
  return { ...d, pick };
}

/** Weighted roughly as traffic makes them: mostly challenges and allowed decisions, now and then something else. */
const AUDIT_TYPES = [
  ...['challenge.issued', 'challenge.verified', 'decision.allowed'].flatMap((t) => Array<string>(5).fill(t)),
  ...'challenge.failed session.renewed backup_code.used device.trusted enrollment.started totp.replayed'.split(' '),
];

export interface LevelSeed {
  from: number;
  to: number;
  /** Audit rows per user, spread over the last year among all users seeded so far. */
  auditPerUser: number;
}

/** `d.insert` over from..to, cut into ranges of CHUNK, each labelled with its range when there are several. */
function chunked(d: SeedDialect, label: string, [table, cols, from, to, where]: Insert): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let a = from; a <= to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK - 1);
    out.push([to - from < CHUNK ? label : `${label} ${a}–${b} of ${from}–${to}`, d.insert(table, cols, a, b, where)]);
  }
  return out;
}

/** The rows of users from..to (1-based, inclusive), as a sequence of statements with progress labels. */
export function levelStatements(kind: SeedKind, level: LevelSeed, now: number): Array<[string, string]> {
  const d = dialect(kind);
  const { from, to } = level;
  const users = to - from + 1;
  const ago = (maxMs: number) => `(${now} - ${d.int(maxMs)})`;
  const u = d.user('n');
  const enrollment = (type: string, every: number, extra: Record<string, string>): Insert => [
    'mfa_enrollments',
    {
      id: d.uuid,
      user_id: d.user(`n * ${every}`),
      type: `'${type}'`,
      status: "'active'",
      label: "'Phone'",
      sealed_secret: `'v1.k1.' || ${d.hex(32)}`,
      key_id: "'k1'",
      algorithm: "'SHA1'",
      digits: '6',
      period: '30',
      last_step: type === 'totp' ? `${Math.floor(now / 30_000)} - ${d.int(100_000)}` : 'NULL',
      created_at: ago(365 * DAY_MS),
      confirmed_at: ago(365 * DAY_MS),
      last_used_at: ago(30 * DAY_MS),
      ...extra,
    },
    Math.ceil(from / every),
    Math.floor(to / every),
  ];
  const challenges = Math.max(1, Math.round((users * SIGNINS_PER_DAY * CHALLENGE_WINDOW_MS) / DAY_MS));
  // Created within the window (a hash of n, so the expiry can follow from it in the same row).
  const recent = (ttl: number) => {
    const created = `(${now} - (n * 2654435761 + ${from}) % ${CHALLENGE_WINDOW_MS})`;
    return { created_at: created, expires_at: `${created} + ${ttl}` };
  };
  const allUsers = `1 + ${d.int(to)}`;
  const parts: Array<[string, Insert]> = [
    ['enrollments (TOTP)', enrollment('totp', 1, {})],
    ['enrollments (SMS, 1 in 10)', enrollment('sms', 10, { masked_target: "'+90 ••• ••• •• 12'" })],
    [
      'enrollments (passkey, 1 in 20)',
      enrollment('webauthn', 20, { credential_key: d.hex(32), details: `'{"transports":["internal"]}'` }),
    ],
    [
      'backup codes (10 a user, 2 spent)',
      [
        'mfa_backup_codes',
        {
          id: d.uuid,
          user_id: d.user('n / 10'),
          code_hash: `'$scrypt$' || ${d.hex(32)}`,
          created_at: ago(365 * DAY_MS),
          used_at: `CASE WHEN n % 10 < 2 THEN ${ago(300 * DAY_MS)} END`,
        },
        from * 10,
        to * 10 + 9,
      ],
    ],
    [
      'trusted devices (1.5 a user)',
      [
        'mfa_trusted_devices',
        {
          id: d.uuid,
          user_id: d.user('n / 2'),
          token_digest: d.hex(32),
          fingerprint_digest: d.hex(32),
          label: "'Firefox on Linux'",
          created_at: ago(20 * DAY_MS),
          expires_at: `${now + 10 * DAY_MS} + ${d.int(20 * DAY_MS)}`,
          last_seen_at: ago(DAY_MS),
        },
        from * 2,
        to * 2 + 1,
        'n % 4 <> 3',
      ],
    ],
    [
      'session verifications (one live session a user)',
      [
        'mfa_session_factors',
        {
          session_ref: d.hex(32),
          factor: "'totp'",
          user_id: u,
          verified_at: ago(25 * DAY_MS),
          event_id: d.uuid,
          assurance: `'{"aal":2,"amr":["otp"]}'`,
        },
        from,
        to,
      ],
    ],
    ...(
      [
        ['mfa_challenges', challenges, 300_000, `${SIGNINS_PER_DAY} sign-ins a user a day`],
        ['mfa_grants', users / 20, 900_000, 'step-up grants, 1 a user in 20'],
        ['mfa_otp_codes', users / 50, 300_000, 'SMS codes, 1 a user in 50'],
      ] as const
    ).map(([table, n, ttl, what]): [string, Insert] => [
      `${table} (${what}, the last ${CHALLENGE_WINDOW_MS / 60_000} min)`,
      [
        table,
        { id: d.uuid, user_id: d.user(allUsers), ...shortLived(d)[table], ...recent(ttl) },
        1,
        Math.max(1, Math.round(n)),
      ],
    ]),
    [
      `audit rows, ${level.auditPerUser} a user (a year)`,
      [
        'mfa_audit_events',
        {
          id: d.uuid,
          at: ago(365 * DAY_MS),
          type: d.pick(AUDIT_TYPES),
          severity: "'info'",
          user_id: d.user(allUsers),
          session_ref: d.hex(32),
          channel: "'http'",
          outcome: "'success'",
          ip: "'203.0.113.7'",
          user_agent: "'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'",
        },
        1,
        users * level.auditPerUser,
      ],
    ],
  ];
  return parts.flatMap(([label, args]) => chunked(d, label, args));
}

/** A retention backlog: rows dead for 2–26 hours (past the one-hour grace), as after a stopped pruner. */
export function backlogStatements(kind: SeedKind, rows: number, users: number, now: number): Array<[string, string]> {
  const d = dialect(kind);
  const dead = `${now} - 7200000 - ${d.int(DAY_MS)}`;
  const common = {
    id: d.uuid,
    user_id: d.user(`1 + ${d.int(users)}`),
    created_at: `${dead} - 300000`,
    expires_at: dead,
  };
  const counts = { mfa_challenges: rows, mfa_otp_codes: rows / 2, mfa_grants: rows / 2 };
  return Object.entries(counts).map(([table, n]) => [
    `${n} expired rows of ${table}`,
    d.insert(table, { ...common, ...shortLived(d)[table as ShortLived] }, 1, n),
  ]);
}

type ShortLived = 'mfa_challenges' | 'mfa_otp_codes' | 'mfa_grants';

/** The short-lived tables' own columns; ids, user and times are added where they are seeded. */
const shortLived = (d: ReturnType<typeof dialect>): Record<ShortLived, Record<string, string>> => ({
  mfa_challenges: {
    session_ref: d.hex(32),
    purpose: "'default'",
    requirement: `'{"anyOf":[{"allOf":[{"factor":"totp"}]}]}'`,
    status: d.pick(['completed', 'completed', 'completed', 'pending', 'expired']),
  },
  mfa_otp_codes: { channel: "'sms'", enrollment_id: d.uuid, purpose: "'default'", code_digest: d.hex(32) },
  mfa_grants: { session_ref: d.hex(32), scope: "'payments'", factor: "'totp'", event_id: d.uuid },
});
