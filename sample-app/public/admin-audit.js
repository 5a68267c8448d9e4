// The admin console's audit trail: filtered, newest first, a page at a time.
import { act, row, when } from './admin-shared.js';
import { mfa } from './mfa.js';

const auditForm = document.getElementById('audit-form');
const auditNext = document.getElementById('audit-next');
let auditQuery = null;
let auditPage = 0;

// Empty fields are left out: the server refuses an empty filter rather than guessing it means none.
const optional = (value) => value.trim() || undefined;
const isoOf = (local) => (local ? new Date(local).toISOString() : undefined);

async function showAudit(cursor) {
  const page = await mfa.admin.audit({ ...auditQuery, cursor });
  auditPage = cursor ? auditPage + 1 : 1;
  const table = document.getElementById('audit-table');
  table.hidden = page.events.length === 0;
  table
    .querySelector('tbody')
    .replaceChildren(
      ...page.events.map((e) =>
        row([
          when(e.at),
          e.type,
          e.userId ?? '',
          e.outcome ?? '',
          e.actor ?? '',
          [e.channel, e.reason, e.ruleId].filter(Boolean).join(' · '),
        ]),
      ),
    );
  auditNext.hidden = !page.nextCursor;
  auditNext.dataset.cursor = page.nextCursor ?? '';
  document.getElementById('audit-summary').textContent = page.events.length
    ? `Page ${auditPage}: ${page.events.length} event(s), newest first.${page.nextCursor ? ' There are more.' : ''}`
    : 'No events match.';
}

auditForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const f = auditForm.elements;
  auditQuery = {
    userId: optional(f.userId.value),
    type: optional(f.type.value),
    from: isoOf(f.from.value),
    to: isoOf(f.to.value),
    limit: f.limit.value ? Number(f.limit.value) : undefined,
  };
  void act(auditForm, () => showAudit());
});

auditNext.addEventListener('click', () => act(auditNext, () => showAudit(auditNext.dataset.cursor)));
