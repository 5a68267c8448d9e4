import type { RequestHandler, Router } from 'express';
import { buildRequirement, KeyRing, MfaEngine, Requirement, RequirementInput } from '../../core/src';
import { createMfaEngine, defaultResolveSubject, MfaOptions, requireSubject } from '../../http/src';
import { createMfaRouter } from './mfa-router';
import { sendMfaError } from './send-mfa-error';

export interface MfaExpressOptions extends MfaOptions {
  /** Path prefix of the MFA endpoints. @default 'mfa' */
  routePrefix?: string;
  /** The express module your app uses (Express 4 or 5). @default require('express') */
  express?: typeof import('express');
}

export interface MfaExpress {
  /** Middleware: the session must have verified a factor (optionally fresh, optionally a given one). */
  requireMfa(requirement?: RequirementInput): RequestHandler;
  /** Middleware: a verification at most `maxAge` seconds old, inside the same session. */
  stepUp(options: { maxAge: number; factors?: RequirementInput['factors'] }): RequestHandler;
  /** The challenge and enrollment endpoints under `routePrefix`: `app.use(mfa.router)`. */
  router: Router;
  /** Resolves once the store is open and migrated; rejects if it cannot be. */
  ready: Promise<MfaEngine>;
  close(): Promise<void>;
}

/**
 * MFA for a plain Express app, over the same core, options and HTTP contract as
 * `MfaModule`. Mount `router`, then put `requireMfa()` / `stepUp()` after your auth.
 */
export function createMfa(options: MfaExpressOptions): MfaExpress {
  new KeyRing(options.encryption); // a missing key stops boot here, synchronously
  const express = options.express ?? (require('express') as typeof import('express'));
  const resolveSubject = options.resolveSubject ?? defaultResolveSubject;
  const ready = createMfaEngine(options);
  ready.catch(() => undefined); // requests answer 503 until it resolves; callers may await `ready` to see why

  const guard = (requirement: Requirement): RequestHandler => (req, res, next) => {
    (async () => {
      if (requirement.kind === 'none') return next();
      const subject = await requireSubject(resolveSubject, req);
      await (await ready).enforce(subject, requirement);
      next();
    })().catch((err) => sendMfaError(res, err));
  };

  return {
    requireMfa: (requirement) => guard(buildRequirement(requirement)),
    stepUp: (stepUp) => guard(buildRequirement(stepUp)),
    router: createMfaRouter(express, options.routePrefix ?? 'mfa', () => ready, resolveSubject),
    ready,
    close: async () => (await ready.catch(() => undefined))?.close(),
  };
}
