// The admin console's safe-rollout tools: run a version report-only beside the active one, compare
// two versions as changed requirements, and replay the recorded decisions of a window under a
// version ("what if"). Refusals branch on the server's code, never on its message.
import { el, failed, say, when } from './admin-shared.js';
import { mfa } from './mfa.js';
import { busy } from './ui.js';

/** The refusals these tools can meet, in words an admin can act on; any other goes to the shared wording. */
const REFUSALS = {
  POLICY_VERSION_ENFORCED: () => 'That version is the one enforcing now: run another version report-only beside it.',
  POLICY_VERSION_NOT_FOUND: () => 'That policy version does not exist. Reload the page to see the versions there are.',
  POLICY_INVALID: () =>
    'That version asks for steps no factor of this deployment can meet, so it cannot run: fix it in a new version.',
  AUDIT_QUERY_UNAVAILABLE: () => 'What-if replays the searchable audit trail, which this server does not keep.',
  WHAT_IF_BUSY: () => 'Another what-if is running on this server. Wait for it to finish, then replay again.',
  WHAT_IF_WINDOW_INVALID: () => 'The window is empty or backwards: set From before Until and replay again.',
  WHAT_IF_WINDOW_TOO_LARGE: (err) =>
    `That window is too large to replay: at most ${err.body?.maxDays ?? 31} days and ` +
    `${Number(err.body?.maxEvents ?? 50_000).toLocaleString('en')} recorded decisions. Narrow it and replay again.`,
};

/** Runs `work` behind `control` held busy; a refusal is announced in the alert region. */
function act(control, work) {
  return busy(control, work).catch((err) => {
    const words = REFUSALS[err?.code];
    if (words) say(words(err), 'error');
    else failed(err);
  });
}

const visuallyHidden = (text) => el('span', text, { class: 'visually-hidden' });

function button(label, hidden, onClick) {
  const node = el('button', null, { type: 'button', class: 'secondary' });
  node.append(label, ...(hidden ? [visuallyHidden(hidden)] : []));
  node.addEventListener('click', () => act(node, onClick));
  return node;
}

/**
 * The versions table's report-only cell: the marker and "Stop report-only" for the version that
 * runs report-only, "Run report-only" for every other version but the active one.
 * `refresh` redraws the table (the button that was pressed is gone then: focus goes to the heading).
 */
export function reportOnlyCell(v, versions, refresh) {
  const redraw = async (message) => {
    say(message);
    await refresh();
    document.getElementById('policy-heading').focus();
  };
  if (v.reportOnly) {
    const cell = document.createDocumentFragment();
    cell.append(
      el('strong', 'Report-only', { class: 'report-only' }),
      button('Stop report-only', null, async () => {
        const { stopped, version } = await mfa.admin.policy.stopReportOnly();
        await redraw(
          stopped ? `Policy version ${version} no longer runs report-only.` : 'No version was running report-only.',
        );
      }),
    );
    return cell;
  }
  if (v.active) return '';
  const active = versions.find((a) => a.active)?.version;
  return button('Run report-only', ` version ${v.version}`, async () => {
    await mfa.admin.policy.startReportOnly(v.version);
    await redraw(
      `Policy version ${v.version} runs report-only beside version ${active}: never enforced, ` +
        'each disagreement audited as policy.report_only.',
    );
  });
}

// --- Choices: the version selects follow the table, keeping what the admin picked. ---

const diffForm = document.getElementById('diff-form');
const whatIfForm = document.getElementById('what-if-form');

function fill(select, versions, fallback) {
  const picked = select.value;
  select.replaceChildren(
    ...versions.map((v) => {
      const state = v.active ? ' (active)' : v.reportOnly ? ' (report-only)' : '';
      return el('option', `Version ${v.version}${state}${v.comment ? ` · ${v.comment}` : ''}`, { value: v.version });
    }),
  );
  const keep = versions.some((v) => String(v.version) === picked);
  select.value = keep ? picked : String(fallback ?? '');
}

/** Called with each version list: From defaults to the active version, To and What if to the newest. */
export function showVersionChoices(versions) {
  const newest = Math.max(...versions.map((v) => v.version));
  fill(diffForm.elements.from, versions, versions.find((v) => v.active)?.version ?? newest);
  fill(diffForm.elements.to, versions, newest);
  fill(whatIfForm.elements.version, versions, versions.find((v) => v.reportOnly)?.version ?? newest);
}

// --- Compare versions ---

/** A change, with its details beneath it. */
function nested(text, changes) {
  const line = el('li', text);
  if (!changes.length) return line;
  const list = el('ul');
  list.append(...changes.map((c) => el('li', c)));
  line.append(list);
  return line;
}

function serviceLine(s) {
  const name = s.operation ? `${s.service} / ${s.operation}` : s.service;
  if (s.change === 'added') return `${name} (added): ${s.after}`;
  if (s.change === 'removed') return `${name} (removed): was ${s.before}`;
  return s.before === s.after ? `${name}: ${s.after} (requirement unchanged)` : `${name}: ${s.before} → ${s.after}`;
}

function ruleLine(r) {
  if (r.change === 'added') return `Rule ${r.ruleId} added: ${r.after}`;
  if (r.change === 'removed') return `Rule ${r.ruleId} removed: was ${r.before}`;
  return `Rule ${r.ruleId} changed: ${r.before} → ${r.after}`;
}

/** A heading and its list (none when there is nothing to list, unless `empty` says what to show). */
function part(title, id, items, empty) {
  if (!items.length && !empty) return [];
  const list = el('ul', null, { id, class: 'changes' });
  list.append(...(items.length ? items : [el('li', empty)]));
  return [el('h3', title), list];
}

/** Fills a result box (text only: nothing from the server becomes markup), shows it and moves focus there. */
function show(id, ...children) {
  const box = document.getElementById(id);
  box.replaceChildren(...children);
  box.hidden = false;
  box.focus();
}

diffForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = Number(diffForm.elements.from.value);
  const to = Number(diffForm.elements.to.value);
  void act(diffForm, async () => {
    const diff = await mfa.admin.policy.diff(from, to);
    // The requirement's own before → after is the line itself; the other changes go beneath it.
    const own = (s) => (c) => c !== `requirement: ${s.before} → ${s.after}`;
    const services = diff.services.map((s) => nested(serviceLine(s), s.changes.filter(own(s))));
    const rules = diff.rules.map((r) => nested(ruleLine(r), r.changes));
    const settings = diff.settings.map((s) => el('li', `${s.setting}: ${s.before} → ${s.after}`));
    const none = !services.length && !rules.length && !settings.length;
    const same = diff.identical ? ' They have the same content.' : '';
    const summary = `From version ${from} to version ${to}:${none ? ` No requirement changed.${same}` : ''}`;
    say(none ? `Compared: no requirement changed.${same}` : `Compared version ${from} with version ${to}.`);
    show(
      'diff-result',
      el('p', summary),
      ...part('Requirements by service and operation', 'diff-services', services),
      ...part('Rules', 'diff-rules', rules),
      ...part('Settings', 'diff-settings', settings),
    );
  });
});

// --- What if ---

/** A datetime-local value (the admin's own time, to the minute). */
function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The last 24 hours, Until rounded up to the next minute so what was just recorded is in.
const nextMinute = Math.ceil((Date.now() + 1) / 60_000) * 60_000;
whatIfForm.elements.from.value = localInput(nextMinute - 86_400_000);
whatIfForm.elements.to.value = localInput(nextMinute);

const item = (text) => el('li', text);

function notes(list) {
  const node = el('ul', null, { id: 'what-if-notes' });
  node.append(...list.map(item));
  return node;
}

const decisions = (n) => (n === 1 ? 'decision' : 'decisions');
const counted = (list, key) => list.map((x) => el('li', `${x[key]}: ${x.count} ${decisions(x.count)}`));

whatIfForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const f = whatIfForm.elements;
  const version = Number(f.version.value);
  void act(whatIfForm, async () => {
    const r = await mfa.admin.policy.whatIf({ version, from: new Date(f.from.value), to: new Date(f.to.value) });
    const { coverage: c } = r;
    const summary =
      `Version ${version}, ${when(r.window.from)} to ${when(r.window.to)}: ` +
      `${r.changed} of ${c.replayed} replayed ${decisions(c.replayed)} would have gone otherwise.`;
    say(summary);
    const counts = [
      `Newly challenged: ${r.wouldChallenge}`,
      `Newly denied: ${r.wouldDeny}`,
      `Newly allowed: ${r.wouldAllow}`,
      `Unchanged: ${c.replayed - r.changed}`,
      ...r.transitions.map((t) => `${t.from} → ${t.to}: ${t.count}`),
    ];
    show(
      'what-if-result',
      el('p', summary),
      ...part('Decisions', 'what-if-counts', counts.map(item)),
      ...part('Changed decisions by user', 'what-if-users', counted(r.topUsers, 'userId'), 'None.'),
      ...part('By route', 'what-if-routes', counted(r.topRoutes, 'route'), 'None.'),
      ...part('By deciding rule', 'what-if-rules', counted(r.topRules, 'ruleId'), 'None.'),
      el('h3', 'What the replay could see'),
      el(
        'p',
        `Read ${c.eventsRead} recorded ${decisions(c.eventsRead)}: ${c.replayed} replayed, ` +
          `${c.notReplayable} could not be (recorded before replay records, or cut short).`,
      ),
      // The honest caveats, as the server words them.
      notes(c.notes),
    );
  });
});
