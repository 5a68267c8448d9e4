import { Inject, Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { acceptsTrustedDevice, Requirement } from '../../core/src';
import { MfaHttpApi } from '../../http/src';
import { MFA_REQUIREMENT_KEY } from './decorators/mfa-metadata';
import { MFA_HTTP_API } from './mfa.internal-tokens';

/**
 * Names, at boot, every route whose own decorator lets a trusted device stand in, so the
 * verify answer can tell a user where "remember this device" will count.
 */
@Injectable()
export class DeviceRouteDiscovery implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(MFA_HTTP_API) private readonly api: MfaHttpApi,
  ) {}

  onApplicationBootstrap(): void {
    for (const { metatype } of this.discovery.getControllers()) {
      if (typeof metatype !== 'function') continue;
      for (const name of this.scanner.getAllMethodNames(metatype.prototype)) {
        const handler = metatype.prototype[name];
        const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(MFA_REQUIREMENT_KEY, [
          handler,
          metatype,
        ]);
        if (!acceptsTrustedDevice(requirement ?? null)) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) ?? RequestMethod.GET];
        this.api.registerDeviceRoute(
          `${method} ${joinPaths(Reflect.getMetadata(PATH_METADATA, metatype), Reflect.getMetadata(PATH_METADATA, handler))}`,
        );
      }
    }
  }
}

function joinPaths(...parts: unknown[]): string {
  const segments = parts
    .flatMap((p) => (Array.isArray(p) ? p.slice(0, 1) : [p]))
    .filter((p): p is string => typeof p === 'string');
  return `/${segments
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}
