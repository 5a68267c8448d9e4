// The admin console: every read and change goes through MFA's admin API, which also wants the
// admin's own verification (any factor for reads, a fresh one for changes). When it asks, the
// admin verifies on /ui/verify and comes back here, to the same user (?user=).
import * as api from './mfa-api.js';
import { announce, busy, describeError, redirectIfNeeded } from './ui.js';

const say = (message, kind) => announce('admin', message, kind);

/** An element with text only: nothing from the server ever becomes markup. */
function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function row(cells, header = false) {
  const tr = el('tr');
  cells.forEach((cell, i) => {
    const td = cell instanceof Node ? el(i === 0 && header ? 'th' : 'td') : el(i === 0 && header ? 'th' : 'td', cell);
    if (cell instanceof Node) td.append(cell);
    if (i === 0 && header) td.setAttribute('scope', 'row');
    tr.append(td);
  });
  return tr;
}

const when = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** A refusal: sign in, verify or enroll first and come back here; otherwise say what went wrong. */
function failed(err) {
  if (err?.code === 'MFA_ENROLLMENT_REQUIRED') {
    location.assign(`/ui/enroll?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  if (!redirectIfNeeded(err)) say(describeError(err), 'error');
}

async function act(button, work) {
  button.disabled = true;
  try {
    await work();
  } catch (err) {
    failed(err);
  } finally {
    button.disabled = false;
  }
}

// ---- One user ----
const lookupForm = document.getElementById('lookup-form');
const view = document.getElementById('user-view');
let current = null;

async function lookUp(userId) {
  const url = new URL(location.href);
  url.searchParams.set('user', userId);
  history.replaceState(null, '', url); // so a detour through /ui/verify comes back to this user
  const data = await api.adminViewUser(userId);
  current = userId;
  render(data);
}

function render(data) {
  view.hidden = false;
  document.getElementById('user-heading').textContent = `User ${data.userId}`;
  const { requiredSince, reenrollmentForcedAt } = data.enrollment;
  document.getElementById('user-enrollment').textContent = reenrollmentForcedAt
    ? `Re-enrollment forced at ${when(reenrollmentForcedAt)}: the user must add a factor at the next request.`
    : requiredSince
      ? `Enrollment required since ${when(requiredSince)}.`
      : 'No enrollment deadline.';
  const factors = document.querySelector('#user-factors tbody');
  factors.replaceChildren(
    ...data.factors.map((f) => {
      const name = f.label ?? f.maskedTarget ?? f.type;
      const reset = el('button', null, { type: 'button', class: 'danger', 'data-reset': f.id });
      reset.append('Reset ', el('span', name, { class: 'visually-hidden' }));
      reset.addEventListener('click', () => resetFactor(reset, f.id, name));
      return row([name, [f.type, f.maskedTarget].filter(Boolean).join(' · '), when(f.lastUsedAt), reset], true);
    }),
  );
  if (!data.factors.length) factors.append(row([el('span', 'No factors.')]));
  document.getElementById('user-codes').textContent = `${data.backupCodes.remaining} unused backup codes left.`;
  const devices = document.getElementById('user-devices');
  devices.replaceChildren(...data.devices.map((d) => el('li', `${d.label}, remembered until ${when(d.expiresAt)}`)));
  if (!data.devices.length) devices.append(el('li', 'No remembered browsers.'));
  // Every channel is listed; only the ones with failures or a lock say anything.
  const locks = Object.entries(data.lockout).filter(([, l]) => l.failures > 0 || l.lockedForSeconds > 0);
  document.getElementById('user-lockout').textContent = locks.length
    ? locks
        .map(
          ([channel, l]) =>
            `${channel}: ${l.failures} failures${l.lockedForSeconds ? `, locked ${l.lockedForSeconds} s more` : ''}`,
        )
        .join('; ')
    : 'Not locked.';
}

async function refresh() {
  render(await api.adminViewUser(current));
}

function resetFactor(button, enrollmentId, name) {
  if (!confirm(`Reset ${name} of ${current}? It stops verifying them, and their remembered browsers are forgotten.`))
    return;
  void act(button, async () => {
    await api.adminResetFactor(current, enrollmentId);
    say(`${name} reset.`);
    await refresh();
    document.getElementById('user-heading').focus();
  });
}

lookupForm.addEventListener('submit', (event) => {
  event.preventDefault();
  document.getElementById('ticket-panel').hidden = true;
  void busy(lookupForm, () => lookUp(lookupForm.elements.userId.value.trim())).catch(failed);
});

const revokeDevices = document.getElementById('revoke-devices');
revokeDevices.addEventListener('click', () =>
  act(revokeDevices, async () => {
    const { revoked } = await api.adminRevokeDevices(current);
    say(`${revoked} remembered browser(s) of ${current} forgotten.`);
    await refresh();
  }),
);

const clearLockout = document.getElementById('clear-lockout');
clearLockout.addEventListener('click', () =>
  act(clearLockout, async () => {
    await api.adminClearLockout(current);
    say(`Lockout of ${current} cleared.`);
    await refresh();
  }),
);

const reenroll = document.getElementById('force-reenrollment');
reenroll.addEventListener('click', () => {
  if (!confirm(`Remove every factor of ${current} and make them enroll again?`)) return;
  void act(reenroll, async () => {
    await api.adminForceReenrollment(current);
    say(`${current} must enroll again at the next request.`);
    await refresh();
  });
});

const ticketForm = document.getElementById('ticket-form');
ticketForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void busy(ticketForm, async () => {
    const { ticket, expiresAt } = await api.adminIssueRecoveryTicket(
      current,
      ticketForm.elements.reason.value.trim(),
      Number(ticketForm.elements.ttlHours.value),
    );
    document.getElementById('ticket-value').textContent = ticket;
    document.getElementById('ticket-expires').textContent = `It works once, until ${when(expiresAt)}.`;
    const panel = document.getElementById('ticket-panel');
    panel.hidden = false;
    ticketForm.reset();
    say(`Recovery ticket issued for ${current}.`);
    panel.focus();
  }).catch(failed);
});

// ---- The audit trail ----
const auditForm = document.getElementById('audit-form');
const auditNext = document.getElementById('audit-next');
let auditQuery = null;
let auditPage = 0;

const isoOf = (local) => (local ? new Date(local).toISOString() : undefined);

async function showAudit(cursor) {
  const page = await api.adminAudit({ ...auditQuery, cursor });
  auditPage = cursor ? auditPage + 1 : 1;
  const table = document.getElementById('audit-table');
  table.hidden = page.events.length === 0;
  table
    .querySelector('tbody')
    .replaceChildren(
      ...page.events.map((e) =>
        row(
          [
            when(e.at),
            e.type,
            e.userId ?? '',
            e.outcome ?? '',
            e.actor ?? '',
            [e.channel, e.reason, e.ruleId].filter(Boolean).join(' · '),
          ],
          false,
        ),
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
    userId: f.userId.value.trim(),
    type: f.type.value.trim(),
    from: isoOf(f.from.value),
    to: isoOf(f.to.value),
    limit: f.limit.value,
  };
  void busy(auditForm, () => showAudit()).catch(failed);
});

auditNext.addEventListener('click', () => act(auditNext, () => showAudit(auditNext.dataset.cursor)));

// ---- The policy ----
async function showVersions() {
  const { versions } = await api.adminPolicyVersions();
  document.querySelector('#policy-versions tbody').replaceChildren(
    ...versions.map((v) => {
      let state = 'Active';
      if (!v.active) {
        state = el('button', null, { type: 'button', class: 'secondary' });
        state.append('Activate ', el('span', `version ${v.version}`, { class: 'visually-hidden' }));
        state.addEventListener('click', () =>
          act(state, async () => {
            await api.adminActivatePolicy(v.version);
            say(`Policy version ${v.version} is active.`);
            await showVersions();
            document.getElementById('policy-heading').focus();
          }),
        );
      }
      return row([String(v.version), v.author, v.comment ?? '', when(v.createdAt), state], true);
    }),
  );
}

const rollback = document.getElementById('policy-rollback');
rollback.addEventListener('click', () =>
  act(rollback, async () => {
    const active = await api.adminRollbackPolicy();
    say(`Rolled back: policy version ${active.version} is active.`);
    await showVersions();
  }),
);

const explainForm = document.getElementById('explain-form');
explainForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const route = explainForm.elements.route.selectedOptions[0];
  void busy(explainForm, async () => {
    const result = await api.adminExplain(explainForm.elements.userId.value.trim(), JSON.parse(route.dataset.target));
    const rule = result.outcome === 'allow' ? (result.ruleIds ?? []).join(', ') || 'none' : result.ruleId;
    const words = { allow: 'Allowed', challenge: 'Challenged', deny: 'Denied' }[result.outcome] ?? result.outcome;
    document.getElementById('explain-outcome').textContent =
      `${words} on ${route.value} under policy version ${result.policyVersion}; deciding rule: ${rule}.`;
    document.getElementById('explain-reasons').replaceChildren(...(result.reasons ?? []).map((r) => el('li', r)));
    document
      .querySelector('#explain-layers tbody')
      .replaceChildren(
        ...(result.layers ?? []).map((l) => row([l.id, l.effect, l.satisfied ? 'yes' : 'no', l.reason], true)),
      );
    const box = document.getElementById('explain-result');
    box.hidden = false;
    box.focus();
  }).catch(failed);
});

// Opening the console reads the policy (and the user from ?user=): it asks for MFA at once if needed.
void (async () => {
  try {
    await showVersions();
    const userId = lookupForm.elements.userId.value.trim();
    if (userId) await lookUp(userId);
  } catch (err) {
    failed(err);
  }
})();
