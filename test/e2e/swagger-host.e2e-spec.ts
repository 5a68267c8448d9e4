// A Nest host's own Swagger document: MFA's controllers are never scanned half-described, and
// `mergeMfaOpenApi` adds every MFA route complete, from the same route table both adapters serve.
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { buildMfaOpenApi, mergeMfaOpenApi } from '../../src';
import { MFA_ROUTES } from '../../libs/http/src/mfa-routes';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { FixtureAppModule } from '../fixtures/nest-app.module';
import { BACKENDS, resetDatabase } from '../support/backends';
import { TEST_KEY } from '../support/test-app';

describe('a Nest host with @nestjs/swagger', () => {
  const sqlite = BACKENDS.find((b) => b.name === 'sqlite')!;

  async function hostDocument() {
    await resetDatabase(sqlite);
    const store = await TypeOrmMfaStore.connect(sqlite.options);
    const moduleRef = await Test.createTestingModule({
      imports: [FixtureAppModule.register({ encryption: { keys: [{ id: 'k1', key: TEST_KEY }] }, store }, 'sync')],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const config = new DocumentBuilder().setTitle('Host').setVersion('1').setOpenAPIVersion('3.1.0').build();
    const document = SwaggerModule.createDocument(app, config);
    await app.close();
    await store.close();
    return document;
  }

  it('does not scan MFA’s controllers, and merges every MFA route in complete', async () => {
    const host = await hostDocument();
    const paths = Object.keys(host.paths);
    expect(paths.some((p) => p.startsWith('/mfa'))).toBe(false);
    expect(paths).toContain('/profile/security');

    const merged = mergeMfaOpenApi(host);
    const mfa = buildMfaOpenApi();
    for (const route of MFA_ROUTES) {
      const path = `/mfa${route.path.replace(/:(\w+)/g, '{$1}')}`;
      const method = route.method.toLowerCase();
      expect((merged.paths as Record<string, Record<string, unknown>>)[path]?.[method]).toEqual(
        mfa.paths[path][method],
      );
    }
    expect(merged.paths['/profile/security']).toEqual(host.paths['/profile/security']);
  });
});
