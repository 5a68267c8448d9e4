import type { RequestHandler, Router } from 'express';
import {
  acceptsTrustedDevice,
  buildRequirement,
  KeyRing,
  MfaConfigurationError,
  MfaEngine,
  MfaTarget,
  RequirementInput,
} from '../../core/src';
import { MfaHttpApi } from '../../http/src';
import { createMfaEngine, MfaOptions } from '../../setup/src';
import { createMfaRouter } from './mfa-router';
import { sendMfaError } from './send-mfa-error';

export interface MfaExpressOptions extends MfaOptions {
  /** Path prefix of the MFA endpoints. @default 'mfa' */
  routePrefix?: string;
  /**
   * Middleware MFA's endpoints run first, so they authenticate the way your routes do:
   * `passport.authenticate('jwt', { session: false })` for a token app. Session apps need
   * none. Provider delivery reports never run it. @default none
   */
  authenticate?: RequestHandler | RequestHandler[];
  /** The express module your app uses (Express 4 or 5). @default require('express') */
  express?: typeof import('express');
}

/** Where a route sits in the policy: its service, operation and sensitivity labels. */
export interface MfaRouteMapping {
  service?: string;
  operation?: string;
  sensitivity?: string[];
}

export interface MfaExpress {
  /** Middleware: the policy for this service/operation, plus the route's own requirement if given. */
  protect(mapping: MfaRouteMapping & { requirement?: RequirementInput }): RequestHandler;
  /** Middleware: the session must have verified a factor (optionally fresh, optionally a given one). */
  requireMfa(requirement?: RequirementInput & MfaRouteMapping): RequestHandler;
  /** Middleware: a verification at most `maxAge` seconds old in this session; `maxAge: 0` = single use for `operation`. */
  stepUp(
    options: { maxAge: number } & Pick<RequirementInput, 'factors' | 'phishingResistant' | 'minAal'> & MfaRouteMapping,
  ): RequestHandler;
  /** The challenge, enrollment and admin endpoints under `routePrefix`: `app.use(mfa.router)`. */
  router: Router;
  /** Resolves once the store is open and migrated and the policy loaded; rejects if not. */
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
  const ready = createMfaEngine(options);
  ready.catch(() => undefined); // requests answer 503 until it resolves; callers may await `ready` to see why
  const routePrefix = options.routePrefix ?? 'mfa';
  const api = new MfaHttpApi(() => ready, options, routePrefix);

  const guard = (target: MfaTarget): RequestHandler => {
    // Express knows a route's path only once it serves it: the verify answer lists it from then on.
    let unnamed = acceptsTrustedDevice(target.requirement ?? null);
    return (req, res, next) => {
      if (unnamed) {
        unnamed = false;
        api.registerDeviceRoute(`${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`);
      }
      api.guard(req, target, res).then(
        () => next(),
        (err) => sendMfaError(res, err),
      );
    };
  };
  const targetOf = (
    { service, operation, sensitivity }: MfaRouteMapping,
    requirement?: RequirementInput,
  ): MfaTarget => {
    const target: MfaTarget = {};
    if (requirement) target.requirement = buildRequirement(requirement);
    if (service) target.service = service;
    if (operation) target.operation = operation;
    if (sensitivity) target.sensitivity = sensitivity;
    return target;
  };

  return {
    protect: ({ requirement, ...mapping }) => guard(targetOf(mapping, requirement)),
    requireMfa: ({ service, operation, sensitivity, ...requirement } = {}) =>
      guard(targetOf({ service, operation, sensitivity }, requirement)),
    stepUp: ({ service, operation, sensitivity, ...requirement }) => {
      if (requirement.maxAge === 0 && !operation)
        throw new MfaConfigurationError('stepUp({ maxAge: 0 }) is a single-use grant and needs an operation.');
      return guard(targetOf({ service, operation, sensitivity }, requirement));
    },
    router: createMfaRouter(
      express,
      routePrefix,
      api,
      options.authenticate === undefined ? [] : [options.authenticate].flat(),
    ),
    ready,
    close: async () => (await ready.catch(() => undefined))?.close(),
  };
}
