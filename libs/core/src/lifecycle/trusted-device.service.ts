import { randomBytes, randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import { deviceLabel, deviceTraits } from '../devices/device-traits';
import { RequestContext } from '../policy/request-context';
import { TrustedDeviceRecord } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { NotificationService } from '../delivery/notification.service';
import { PolicyService } from '../policy/policy.service';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'keyRing'>;

/** What the user and admins see of a trusted device. */
export interface TrustedDeviceView {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  /** The device this request comes from. */
  current?: boolean;
}

/** A device just trusted: the cookie value (shown to the browser only) and its metadata. */
export interface IssuedDevice {
  cookieValue: string;
  maxAgeSeconds: number;
  device: TrustedDeviceView;
}

const TOUCH_EVERY_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * "Remember this browser". The cookie holds a device id and 256 random bits; the store
 * keeps only a keyed digest of them, bound to the user, plus a digest of the browser's
 * traits. A device stands in only for steps whose policy allows it (never a `maxAge` or
 * single-use step), and is voided on a password change, a factor reset, a trait
 * mismatch, a risk rule, or revocation.
 */
export class TrustedDeviceService {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    private readonly policy: PolicyService,
    private readonly notifications: NotificationService,
  ) {}

  /** Trusts the requesting browser if the policy lets users opt in; null when it does not. */
  async issue(subject: MfaSubject): Promise<IssuedDevice | null> {
    const { remember, trustMs } = this.policy.current().devices;
    if (!remember) return null;
    const now = this.ctx.clock.now();
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const traits = deviceTraits(subject.userAgent);
    const record: TrustedDeviceRecord = {
      id,
      userId: subject.userId,
      tokenDigest: this.ctx.keyRing.digest(tokenMaterial(id, subject.userId, token)),
      fingerprintDigest: this.fingerprint(subject),
      label: deviceLabel(traits),
      createdAt: now,
      expiresAt: now + trustMs,
      lastSeenAt: now,
      revokedAt: null,
      revokedReason: null,
    };
    await this.ctx.store.createTrustedDevice(record);
    this.audit.record(subject, {
      type: 'device.trusted',
      severity: 'warning',
      outcome: 'success',
      reason: `${record.label} until ${iso(record.expiresAt)}`,
    });
    this.notifications.notify(subject, { type: 'device.trusted', detail: record.label });
    return { cookieValue: `${id}.${token}`, maxAgeSeconds: Math.floor(trustMs / 1000), device: view(record) };
  }

  /**
   * True when `cookie` is a live device of this user, from the same kind of browser. A
   * forged, tampered, expired, revoked or foreign cookie is ignored (the user is simply
   * challenged) and audited; a trait mismatch or a risky request also revokes the device.
   */
  async check(subject: MfaSubject, cookie: string, context: RequestContext): Promise<boolean> {
    const [id, token] = cookie.split('.');
    const record = id && token && id.length <= 64 ? await this.ctx.store.findTrustedDevice(id) : null;
    const now = this.ctx.clock.now();
    const rejected = (reason: string) => {
      this.audit.record(subject, { type: 'device.rejected', severity: 'warning', outcome: 'refused', reason });
      return false;
    };
    // One answer for unknown, foreign and forged: none of them says which ids exist.
    if (
      !record ||
      record.userId !== subject.userId ||
      !this.ctx.keyRing.digestMatches(record.tokenDigest, tokenMaterial(record.id, subject.userId, token))
    ) {
      return rejected('unknown or forged device token');
    }
    if (record.revokedAt !== null) return rejected(`revoked (${record.revokedReason})`);
    if (record.expiresAt <= now) return rejected('expired');
    if (!this.ctx.keyRing.digestMatches(record.fingerprintDigest, fingerprintMaterial(subject))) {
      await this.revoke(subject, record.id, 'fingerprint', 'the browser no longer matches');
      return false;
    }
    const { revokeAtRisk } = this.policy.current().devices;
    if (revokeAtRisk !== null && (context.risk ?? 0) >= revokeAtRisk) {
      await this.revoke(subject, record.id, 'risk', `session risk ${context.risk}`);
      return false;
    }
    if (now - record.lastSeenAt >= TOUCH_EVERY_MS) await this.ctx.store.touchTrustedDevice(record.id, now);
    return true;
  }

  async list(userId: string, currentCookie?: string): Promise<TrustedDeviceView[]> {
    const now = this.ctx.clock.now();
    const currentId = currentCookie?.split('.')[0];
    return (await this.ctx.store.listTrustedDevices(userId))
      .filter((d) => d.revokedAt === null && d.expiresAt > now)
      .map((d) => (d.id === currentId ? { ...view(d), current: true } : view(d)));
  }

  /** `who` is the user or the acting admin; `reason` is stored with the revocation. */
  async revoke(
    subject: Partial<MfaSubject> & { userId: string },
    deviceId: string,
    reason: string,
    why?: string,
    actor?: string,
  ): Promise<boolean> {
    const record = await this.ctx.store.findTrustedDevice(deviceId);
    if (!record || record.userId !== subject.userId) return false;
    if (!(await this.ctx.store.revokeTrustedDevice(subject.userId, deviceId, this.ctx.clock.now(), reason)))
      return false;
    this.audit.record(subject, {
      type: 'device.revoked',
      severity: 'warning',
      outcome: 'success',
      actor,
      reason: `${record.label}: ${why ?? reason}`,
    });
    this.notifications.notify(subject, { type: 'device.revoked', detail: record.label });
    return true;
  }

  async revokeAll(subject: Partial<MfaSubject> & { userId: string }, reason: string, actor?: string): Promise<number> {
    const count = await this.ctx.store.revokeTrustedDevices(subject.userId, this.ctx.clock.now(), reason);
    if (count > 0) {
      this.audit.record(subject, {
        type: 'device.revoked',
        severity: 'warning',
        outcome: 'success',
        actor,
        reason: `${count} device(s): ${reason}`,
      });
      this.notifications.notify(subject, { type: 'device.revoked', detail: `${count} trusted browser(s)` });
    }
    return count;
  }

  private fingerprint(subject: MfaSubject): string {
    return this.ctx.keyRing.digest(fingerprintMaterial(subject));
  }
}

function tokenMaterial(id: string, userId: string, token: string): string {
  return `device|${id}|${userId}|${token}`;
}

function fingerprintMaterial(subject: Pick<MfaSubject, 'userId' | 'userAgent'>): string {
  const t = deviceTraits(subject.userAgent);
  return `device-traits|${subject.userId}|${t.browser}|${t.os}`;
}

function view(d: TrustedDeviceRecord): TrustedDeviceView {
  return {
    id: d.id,
    label: d.label,
    createdAt: iso(d.createdAt),
    expiresAt: iso(d.expiresAt),
    lastSeenAt: iso(d.lastSeenAt),
  };
}
