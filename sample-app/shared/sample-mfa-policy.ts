import type { MfaOptions } from '../../libs/setup/src';
import type { PolicyDocument } from '../../src/core';
import { isAdmin } from './demo-users';

/**
 * The sample's policy, stored as version 1 on first boot. Admins change it at run time
 * through /mfa/admin/policy/* (versioned, audited, with rollback).
 */
export const SAMPLE_POLICY: PolicyDocument = {
  machinePrincipals: 'exempt',
  devices: { remember: true, trustDays: 30, revokeAtRisk: 0.8 },
  continuous: { countryChange: true, riskIncrease: 0.4 },
  services: {
    admin: { group: 'back-office', sensitivity: ['high'] },
    payments: {
      group: 'money',
      sensitivity: ['high'],
      // Looking at the balance: any factor, or a browser the user chose to trust.
      require: { any: true, allowTrustedDevice: true },
      operations: {
        // TOTP in the session, then a fresh code for every single transfer or refund.
        transfer: { require: { chain: [{ factor: 'totp' }, { anyOf: ['totp', 'backup_code'], maxAge: 0 }] } },
        refund: { require: { chain: [{ factor: 'totp' }, { anyOf: ['totp', 'backup_code'], maxAge: 0 }] } },
      },
    },
  },
  rules: [
    {
      id: 'embargoed-countries',
      description: 'No access from embargoed countries',
      when: { countries: ['KP'] },
      deny: true,
    },
    {
      // The built-in risk engine scores each guarded request from the user's own verified history
      // (docs/risk.md): a new country alone reaches 0.5, so does impossible travel (0.8), a new
      // browser alone (0.3) does not. Where a remembered browser or an earlier verification would
      // do (Payments), such a sign-in still answers a factor first. Only routes mapped to a
      // requirement or a service meet rules: /wiki and the open pages stay open.
      id: 'unusual-sign-in',
      description:
        'A sign-in that looks unusual for this user (a new country, impossible travel) asks for a second factor',
      when: { minRisk: 0.5 },
      require: { any: true, maxAge: 300 },
    },
    {
      id: 'risky-session',
      description: 'A risky session re-verifies every minute',
      when: { minRisk: 0.7 },
      require: { any: true, maxAge: 60 },
    },
  ],
};

/** What both samples pass besides keys and storage: the policy, the edge's country header, who is an admin. */
export const SAMPLE_MFA_DEFAULTS: Partial<MfaOptions> = {
  policy: SAMPLE_POLICY,
  // The sample assumes a Cloudflare-style edge that overwrites this header on every request.
  trustedCountryHeader: 'cf-ipcountry',
  authorizeAdmin: (_req, subject) => isAdmin(subject.groups),
};
