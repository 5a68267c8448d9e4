// The home page's development-only country: kept in a cookie that the sample's middleware copies
// into the edge's country header. Set here, in the browser, because it is this browser's claim and
// nothing else: the server ignores the cookie outside development. It changes nothing on the page,
// so it is stored on submit (not on every change of the list) and confirmed in the status region.
import { announce } from './ui.js';

const COOKIE = 'sample_country';
const form = document.getElementById('country-form');
const now = document.getElementById('country-now');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const select = form.elements.country;
  const code = select.value;
  // Lax like the session cookie; a year, so the choice survives signing out and in again.
  document.cookie = code
    ? `${COOKIE}=${code}; Path=/; SameSite=Lax; Max-Age=31536000`
    : `${COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`;
  const where = code ? `from ${select.selectedOptions[0].textContent.trim()}` : 'with no country header';
  // What this page's own request carried is no longer true: say what the next ones will carry.
  now.textContent = `Your next requests reach MFA ${where}.`;
  announce('country', `From now on, your requests come ${where}.`);
});
