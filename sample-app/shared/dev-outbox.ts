import { DevOutbox } from '../../src/delivery';

/**
 * Development mode: codes go to an in-memory outbox readable at GET /dev/outbox, so every
 * SMS and email flow runs with no provider. Only when MFA_DEV_OUTBOX=1 is set explicitly
 * (`npm run sample` sets it), and never when NODE_ENV=production.
 */
export function devOutboxEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.MFA_DEV_OUTBOX !== '1') return false;
  if (env.NODE_ENV === 'production') {
    process.stderr.write('nestjs-mfa sample: MFA_DEV_OUTBOX is ignored because NODE_ENV=production\n');
    return false;
  }
  return true;
}

/** One outbox per process, shared by the senders and the page that shows it. */
export const DEV_OUTBOX = new DevOutbox();

/** What GET /dev/outbox answers: the newest messages first. */
export function outboxPage() {
  return {
    note: 'Development outbox: nothing here was delivered. Disabled in production.',
    messages: DEV_OUTBOX.messages(),
  };
}

/** The enrollment endpoints, as the sample's profile page lists them. */
export const PROFILE_NEXT_STEPS = {
  totp: 'POST /mfa/totp/enrollments, then POST /mfa/totp/enrollments/:id/confirm {code}',
  sms: 'POST /mfa/sms/enrollments {phone}, then POST /mfa/sms/enrollments/:id/confirm {code}',
  email: 'POST /mfa/email/enrollments {email}, then POST /mfa/email/enrollments/:id/confirm {code}',
};
