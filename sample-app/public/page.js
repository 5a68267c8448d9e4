// Loaded by every page: signing out from the header. The client is imported on the click, not
// before: the button then works as soon as the page shows, rather than once the whole client
// has loaded (until this listener exists, the form would post natively and land on JSON).
const form = document.getElementById('sign-out-form');
form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const { signOut } = await import('./mfa.js');
    await signOut();
  } finally {
    location.assign('/ui/sign-in?signedOut=1');
  }
});
