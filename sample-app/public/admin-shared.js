// What the admin console's parts share. Every read and change goes through MFA's admin API,
// which also wants the admin's own verification (any factor for reads, a fresh one for
// changes): when it asks, the step-up dialog opens on this page and the call goes through.
import { announce, announceFailure, busy } from './ui.js';

export const say = (message, kind) => announce('admin', message, kind);

/** An element with text only: nothing from the server ever becomes markup. */
export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

export function row(cells, header = false) {
  const tr = el('tr');
  cells.forEach((cell, i) => {
    const tag = i === 0 && header ? 'th' : 'td';
    const td = cell instanceof Node ? el(tag) : el(tag, cell);
    if (cell instanceof Node) td.append(cell);
    if (i === 0 && header) td.setAttribute('scope', 'row');
    tr.append(td);
  });
  return tr;
}

export const when = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** A refusal: sign in or enroll first and come back here; otherwise say what went wrong. */
export const failed = (err) => announceFailure('admin', err);

/** Runs `work` behind `control` (a form or a button) held busy; a refusal is announced. */
export function act(control, work) {
  return busy(control, work).catch(failed);
}
