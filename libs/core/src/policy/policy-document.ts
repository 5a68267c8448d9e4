import type { FactorType } from '../factors/factor-type';

/** A step as written in a policy: a factor name, "any", or an object. */
export type StepSpec =
  | 'any'
  | FactorType
  | {
      factor?: FactorType;
      anyOf?: FactorType[];
      any?: true;
      maxAge?: number;
      allowTrustedDevice?: boolean;
      /** Only a passkey (WebAuthn, bound to the origin) meets the step. */
      phishingResistant?: boolean;
      /** The lowest NIST 800-63B AAL: 2 excludes email codes, 3 takes device-bound passkeys only. */
      minAal?: 2 | 3;
    };

/** A requirement as written: "none", a step, or a chain of steps. */
export type RequirementSpec = 'none' | StepSpec | { chain: StepSpec[] };

/** Every listed condition must hold for the rule to apply (absent ones always hold). */
export interface PolicyConditions {
  services?: string[];
  serviceGroups?: string[];
  operations?: string[];
  /** The user is in at least one of these groups. */
  groups?: string[];
  notGroups?: string[];
  /** Country codes; "unknown" matches an unresolved country. */
  countries?: string[];
  notCountries?: string[];
  minRisk?: number;
  deviceTrusted?: boolean;
  minDeviceTrust?: number;
  /** The target carries at least one of these labels. */
  sensitivity?: string[];
  machine?: boolean;
}

export interface PolicyRule {
  id: string;
  description?: string;
  when?: PolicyConditions;
  require?: RequirementSpec;
  deny?: true;
}

export interface OperationPolicy {
  sensitivity?: string[];
  require?: RequirementSpec;
}

export interface ServicePolicy {
  group?: string;
  sensitivity?: string[];
  require?: RequirementSpec;
  operations?: Record<string, OperationPolicy>;
}

/**
 * The policy document a security team writes. Every matching requirement applies (AND),
 * so the strictest one decides and there is no tie to break; a matching deny wins.
 */
export interface PolicyDocument {
  methods?: {
    enabled?: FactorType[];
    /**
     * Email codes as a fallback only: a challenge that also accepts another factor offers
     * email after this many failed attempts with the other factors on that challenge.
     * @default off (email is offered like any factor)
     */
    emailFallbackAfter?: number;
    /**
     * A passkey used with user verification (PIN or biometric) is two factors in one:
     * something you have plus something you know or are. On: it may meet two consecutive
     * steps of a chain by itself (each step's maxAge and assurance still apply).
     * @default false
     */
    passkeyAsTwoFactors?: boolean;
  };
  defaults?: { unmapped?: RequirementSpec };
  /** Trusted devices ("remember this browser"). */
  devices?: {
    /** May users opt in to trust a browser after a verification? @default true */
    remember?: boolean;
    /** Days a device stays trusted. @default 30 */
    trustDays?: number;
    /** A request at or above this risk (0..1) revokes the device it presents. @default never */
    revokeAtRisk?: number;
  };
  /** Mandatory enrollment: who must bind a factor, and how long they have. */
  enrollment?: {
    /** 'everyone', or the users in at least one of these groups. */
    required: 'everyone' | { groups: string[] };
    /** Days from when the requirement first applied to the user. @default 7 */
    graceDays?: number;
  };
  /** @default 'enforce' */
  machinePrincipals?: 'exempt' | 'enforce';
  continuous?: { countryChange?: boolean; riskIncrease?: number; trustDrop?: boolean };
  services?: Record<string, ServicePolicy>;
  rules?: PolicyRule[];
}
