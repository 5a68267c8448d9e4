// Loaded by every page: signing out from the header.
import { signOut } from './mfa-api.js';

const form = document.getElementById('sign-out-form');
form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await signOut();
  } finally {
    location.assign('/ui/sign-in?signedOut=1');
  }
});
