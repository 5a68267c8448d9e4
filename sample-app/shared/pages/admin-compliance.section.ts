import { html, SafeHtml } from './html';

/** The admin console's compliance card: the report over the users the store knows (sample-app/public/admin-compliance.js). */
export function complianceSection(): SafeHtml {
  return html`<section class="card" aria-labelledby="compliance-heading">
    <h2 id="compliance-heading">Compliance</h2>
    <p class="hint">
      Over the users MFA's store knows; the CLI's <code>nestjs-mfa report compliance --users</code> covers your whole
      directory.
    </p>
    <label for="compliance-limit">Users per page</label>
    <input id="compliance-limit" type="number" min="1" max="5000" value="1000" required />
    <button type="button" id="compliance-run">Run the report</button>
    <button type="button" id="compliance-next" class="secondary" hidden>Next page of users</button>
    <a id="compliance-csv" href="/mfa/admin/compliance?format=csv" download="mfa-compliance.csv" hidden
      >Download this page as CSV</a
    >
    <p id="compliance-summary" role="status"></p>
    ${complianceTable('compliance-missing', 'Without a factor', ['User', 'Groups', 'Grace', 'Grace ends'])}
    ${complianceTable('compliance-weak', 'Only SMS or email', ['User', 'Factors'])}
    ${complianceTable('compliance-low', 'Fewer than 3 backup codes', ['User', 'Left'])}
  </section>`;
}

function complianceTable(id: string, caption: string, columns: string[]): SafeHtml {
  return html`<table id="${id}" hidden>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${columns.map((c) => html`<th scope="col">${c}</th>`)}
      </tr>
    </thead>
    <tbody></tbody>
  </table>`;
}
