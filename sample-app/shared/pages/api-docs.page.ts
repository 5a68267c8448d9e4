import { buildMfaOpenApi, type OpenApiDocument } from '../../../src/express';
import { html } from './html';
import { layout } from './page-layout';

/** The OpenAPI document both samples serve at /openapi.json: MFA mounted under /mfa. */
export const sampleOpenApi = (): OpenApiDocument =>
  buildMfaOpenApi({ routePrefix: 'mfa', title: 'nestjs-mfa sample: MFA endpoints' });

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  responses?: Record<string, unknown>;
}

/**
 * GET /docs: the same document as a page — every operation by audience, with its statuses —
 * rendered on the server, so it needs no script and no third-party viewer under the CSP.
 */
export function apiDocsPage(): string {
  const document = sampleOpenApi();
  const byTag = new Map<string, ReturnType<typeof html>[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as Operation;
      const tag = op.tags?.[0] ?? 'other';
      const statuses = Object.keys(op.responses ?? {}).join(' ');
      const row = html`<tr>
        <td><code>${method.toUpperCase()}</code></td>
        <td><code>${path}</code></td>
        <td>${op.summary ?? op.description ?? ''}</td>
        <td>${statuses}</td>
      </tr>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  }
  const sections = [...byTag.entries()].map(
    ([tag, rows]) =>
      html`<h2>${tag}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">method</th>
              <th scope="col">path</th>
              <th scope="col">what</th>
              <th scope="col">statuses</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>`,
  );
  return layout({
    title: 'MFA API',
    user: undefined,
    main: html`<p>
        OpenAPI ${document.openapi}, generated from the route table: the whole document, with request and response
        schemas, is at <a href="/openapi.json">/openapi.json</a>.
      </p>
      ${sections}`,
  });
}
