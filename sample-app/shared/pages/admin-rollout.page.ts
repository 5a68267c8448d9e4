import { html, SafeHtml } from './html';

/** Two versions' difference as changed requirements, and a window's decisions replayed under a version. */
export function rolloutForms(): SafeHtml {
  return html`<section class="card" aria-labelledby="diff-heading">
      <h2 id="diff-heading">Compare versions</h2>
      <form id="diff-form">
        <label for="diff-from">From</label>
        <select id="diff-from" name="from" required></select>
        <label for="diff-to">To</label>
        <select id="diff-to" name="to" required></select>
        <button type="submit">Compare</button>
      </form>
      <div id="diff-result" tabindex="-1" hidden></div>
    </section>
    <section class="card" aria-labelledby="what-if-heading">
      <h2 id="what-if-heading">What if</h2>
      <form id="what-if-form" aria-describedby="what-if-hint">
        <p id="what-if-hint" class="hint">
          Replays the decisions the audit trail recorded in the window under a version, nothing enforced. Your time; at
          most 31 days, Until excluded.
        </p>
        <label for="what-if-version">Version</label>
        <select id="what-if-version" name="version" required></select>
        <label for="what-if-from">From</label>
        <input id="what-if-from" name="from" type="datetime-local" required />
        <label for="what-if-to">Until</label>
        <input id="what-if-to" name="to" type="datetime-local" required />
        <button type="submit">Replay</button>
      </form>
      <div id="what-if-result" tabindex="-1" hidden></div>
    </section>`;
}
