// The admin console's compliance report: who must enroll and has not (with the grace left), who
// has only SMS or email, who is running out of backup codes — over the users the store knows.
import { act, row, when } from './admin-shared.js';
import { mfa } from './mfa.js';

const run = document.getElementById('compliance-run');
const summary = document.getElementById('compliance-summary');
const csv = document.getElementById('compliance-csv');
const next = document.getElementById('compliance-next');

function fill(id, rows) {
  const table = document.getElementById(id);
  table.hidden = rows.length === 0;
  table.querySelector('tbody').replaceChildren(...rows.map((cells) => row(cells)));
}

/** "3 days left", "due today", "2 days overdue": the sign of graceDaysLeft in words. */
function grace(m) {
  if (m.status === 'not_started') return `${m.graceDaysLeft} days, from their next visit`;
  if (m.status === 'reenrollment_forced') return 'forced re-enrollment: none';
  if (m.status === 'exempt') return `exempt until ${m.exemptUntil}`;
  if (!m.overdue) return `${m.graceDaysLeft} day(s) left`;
  return m.graceDaysLeft === 0 ? 'ended today' : `${-m.graceDaysLeft} day(s) overdue`;
}

let pageNumber = 0;

/** One page of the users the store knows: `cursor` is the previous page's nextCursor, none for the first. */
async function showCompliance(cursor) {
  const limit = Number(document.getElementById('compliance-limit').value) || 1000;
  const report = await mfa.admin.compliance(cursor ? { cursor, limit } : { limit });
  pageNumber = cursor ? pageNumber + 1 : 1;
  const t = report.totals;
  summary.textContent =
    `Page ${pageNumber}: ${t.usersChecked} user(s) checked under policy v${report.policyVersion}: ` +
    (report.mandatoryEnrollment
      ? `${t.missingFactor} without a factor (${t.overdue} overdue), `
      : 'enrollment is not mandatory, ') +
    `${t.weakFactorsOnly} with only SMS/email, ${t.lowBackupCodes} with fewer than 3 backup codes.` +
    (report.nextCursor ? ' There are more users.' : '');
  fill(
    'compliance-missing',
    report.missingFactor.map((m) => [
      m.userId,
      m.groups ? m.groups.join(', ') : 'unknown',
      grace(m),
      m.graceEndsAt ? when(m.graceEndsAt) : '—',
    ]),
  );
  fill(
    'compliance-weak',
    report.weakFactorsOnly.map((w) => [w.userId, w.factors.join(', ')]),
  );
  fill(
    'compliance-low',
    report.lowBackupCodes.map((l) => [l.userId, l.remaining]),
  );
  const query = new URLSearchParams({ format: 'csv', limit: String(limit), ...(cursor ? { cursor } : {}) });
  csv.href = `/mfa/admin/compliance?${query}`;
  csv.hidden = false;
  next.hidden = !report.nextCursor;
  next.dataset.cursor = report.nextCursor ?? '';
}

run.addEventListener('click', () => act(run, () => showCompliance()));
next.addEventListener('click', () => act(next, () => showCompliance(next.dataset.cursor)));
