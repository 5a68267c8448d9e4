// The admin console's audit trail: filtered, newest first, a page at a time.
import { act, el, row, when } from './admin-shared.js';
import { mfa } from './mfa.js';
import { splitReason } from './risk-words.js';

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
      ...page.events.map((e) => row([when(e.at), e.type, e.userId ?? '', e.outcome ?? '', e.actor ?? '', detail(e)])),
    );
  auditNext.hidden = !page.nextCursor;
  auditNext.dataset.cursor = page.nextCursor ?? '';
  document.getElementById('audit-summary').textContent = page.events.length
    ? `Page ${auditPage}: ${page.events.length} event(s), newest first.${page.nextCursor ? ' There are more.' : ''}`
    : 'No events match.';
}

/**
 * The event's channel, reason and rule; a decision that used risk leads with the risk in words
 * on a line of its own ("Risk 1 — impossible travel (9,546 km in 1 min), new country BR").
 */
function detail(e) {
  const { risk, fired, rest } = splitReason(e.reason);
  const text = [e.channel, rest, e.ruleId].filter(Boolean).join(' · ');
  if (!risk) return text;
  const cell = document.createDocumentFragment();
  // Scored, but nothing fired: said quietly, so the rows where something did stand out.
  cell.append(el(fired ? 'strong' : 'span', risk, { class: fired ? 'risk' : 'risk none' }));
  if (text) cell.append(el('span', text));
  return cell;
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
