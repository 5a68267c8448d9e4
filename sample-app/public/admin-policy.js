// The admin console's policy panel: the versions (activate one, roll back, run one report-only)
// and "what would this user face on this route, and why".
import { act, el, row, say, when } from './admin-shared.js';
import { reportOnlyCell, showVersionChoices } from './admin-rollout.js';
import { mfa } from './mfa.js';
import { describeRisk } from './risk-words.js';

export async function showVersions() {
  const { versions } = await mfa.admin.policy.versions();
  document.querySelector('#policy-versions tbody').replaceChildren(
    ...versions.map((v) => {
      let state = 'Active';
      if (!v.active) {
        state = el('button', null, { type: 'button', class: 'secondary' });
        state.append('Activate ', el('span', `version ${v.version}`, { class: 'visually-hidden' }));
        state.addEventListener('click', () =>
          act(state, async () => {
            await mfa.admin.policy.activate(v.version);
            say(`Policy version ${v.version} is active.`);
            await showVersions();
            document.getElementById('policy-heading').focus();
          }),
        );
      }
      const reportOnly = reportOnlyCell(v, versions, showVersions);
      return row([String(v.version), v.author, v.comment ?? '', when(v.createdAt), reportOnly, state], true);
    }),
  );
  showVersionChoices(versions);
}

const rollback = document.getElementById('policy-rollback');
rollback.addEventListener('click', () =>
  act(rollback, async () => {
    const active = await mfa.admin.policy.rollback();
    say(`Rolled back: policy version ${active.version} is active.`);
    await showVersions();
  }),
);

const explainForm = document.getElementById('explain-form');
explainForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const route = explainForm.elements.route.selectedOptions[0];
  // Two letters, upper case as the edge writes them; empty asks about a request with no country.
  const country = explainForm.elements.country.value.trim().toUpperCase();
  void act(explainForm, async () => {
    const result = await mfa.admin.policy.explain({
      userId: explainForm.elements.userId.value.trim(),
      target: JSON.parse(route.dataset.target),
      ...(country && { context: { country } }),
    });
    const rule = result.outcome === 'allow' ? (result.ruleIds ?? []).join(', ') || 'none' : result.ruleId;
    const words = { allow: 'Allowed', challenge: 'Challenged', deny: 'Denied' }[result.outcome] ?? result.outcome;
    const from = country ? ` from ${country}` : '';
    document.getElementById('explain-outcome').textContent =
      `${words} on ${route.value}${from} under policy version ${result.policyVersion}; deciding rule: ${rule}.`;
    // Scored from the user's own history, as the guard would score such a request now.
    document.getElementById('explain-risk').textContent = result.risk
      ? `${describeRisk(result.risk)}.`
      : 'No risk signal fired.';
    document.getElementById('explain-reasons').replaceChildren(...(result.reasons ?? []).map((r) => el('li', r)));
    document
      .querySelector('#explain-layers tbody')
      .replaceChildren(
        ...(result.layers ?? []).map((l) => row([l.id, l.effect, l.satisfied ? 'yes' : 'no', l.reason], true)),
      );
    const box = document.getElementById('explain-result');
    box.hidden = false;
    box.focus();
  });
});
