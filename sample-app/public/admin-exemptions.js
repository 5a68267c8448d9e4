// The admin console's exemptions of one user: grant one (mandatory enrollment or one policy
// rule, at most 90 days, with a reason), see them, end one early. Built here from text-only
// elements; the server checks everything again and audits and notifies each change.
import { act, el, row, say, when } from './admin-shared.js';
import { mfa } from './mfa.js';

let userId = null;
const section = el('section', null, { 'aria-labelledby': 'exemptions-heading' });
const list = el('table', null, { id: 'user-exemptions' });
const form = el('form', null, { id: 'exemption-form', 'aria-labelledby': 'exemption-form-heading' });

function field(label, input) {
  const id = `exemption-${input.getAttribute('name')}`;
  input.setAttribute('id', id);
  return [el('label', label, { for: id }), input];
}

function build() {
  const scope = el('select', null, { name: 'scope' });
  scope.append(
    el('option', 'Mandatory enrollment', { value: 'enrollment' }),
    el('option', 'One policy rule', { value: 'rule' }),
  );
  const ruleId = el('input', null, { name: 'ruleId', maxlength: '64', autocomplete: 'off', placeholder: 'rule id' });
  const reason = el('input', null, { name: 'reason', maxlength: '512', required: '', autocomplete: 'off' });
  const days = el('input', null, { name: 'days', type: 'number', min: '1', max: '90', value: '14', required: '' });
  form.append(
    el('h5', 'Grant an exemption', { id: 'exemption-form-heading' }),
    ...field('Exempt from', scope),
    ...field('Rule (for a rule exemption)', ruleId),
    ...field('Why this user is exempt, for the audit trail', reason),
    ...field('For (days, at most 90)', days),
    el('button', 'Grant the exemption', { type: 'submit' }),
  );
  section.append(el('h4', 'Exemptions', { id: 'exemptions-heading' }), list, form);
  document.getElementById('ticket-form').before(section);
}

/** Shows `id`'s exemptions; a store that keeps none (EXEMPTIONS_UNAVAILABLE) hides the panel. */
export async function showExemptions(id) {
  userId = id;
  let exemptions;
  try {
    ({ exemptions } = await mfa.admin.exemptions.list(id));
  } catch (err) {
    if (err?.code === 'EXEMPTIONS_UNAVAILABLE') return void (section.hidden = true);
    throw err;
  }
  section.hidden = false;
  list.replaceChildren(
    ...exemptions.map((e) => {
      const what = e.scope === 'enrollment' ? 'mandatory enrollment' : `rule ${e.ruleId}`;
      const status =
        e.status === 'active'
          ? `until ${when(e.expiresAt)}`
          : e.status === 'superseded'
            ? `superseded: the rule changed (until ${when(e.expiresAt)})`
            : e.status;
      const cells = [what, status, `${e.reason} (by ${e.grantedBy})`];
      // A superseded one would lift its rule again after a rollback: it can be ended too.
      if (e.status !== 'active' && e.status !== 'superseded') return row([...cells, ''], true);
      const end = el('button', 'End now', { type: 'button', class: 'danger' });
      end.addEventListener('click', () =>
        act(end, async () => {
          await mfa.admin.exemptions.revoke(userId, e.id);
          say(`Exemption of ${userId} from ${what} ended.`);
          await showExemptions(userId);
        }),
      );
      return row([...cells, end], true);
    }),
  );
  if (!exemptions.length) list.append(row([el('span', 'No exemptions.')]));
}

build();
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void act(form, async () => {
    const f = form.elements;
    const scope = f.scope.value;
    await mfa.admin.exemptions.grant(userId, {
      scope,
      ...(scope === 'rule' ? { ruleId: f.ruleId.value.trim() } : {}),
      reason: f.reason.value.trim(),
      days: Number(f.days.value),
    });
    form.reset();
    say(`${userId} is exempted; they were told, and it ends by itself.`);
    await showExemptions(userId);
  });
});
