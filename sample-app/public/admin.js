// The admin console: its three panels wire themselves; opening it reads the policy, and the user
// named in ?user=. The first read asks for the admin's own MFA if this session has none yet,
// in the step-up dialog, and the second then goes through without asking again.
import './admin-audit.js';
import './admin-compliance.js';
import { failed } from './admin-shared.js';
import { showVersions } from './admin-policy.js';
import { lookUp } from './admin-users.js';

void (async () => {
  try {
    await showVersions();
    const userId = document.getElementById('lookup-form').elements.userId.value.trim();
    if (userId) await lookUp(userId);
  } catch (err) {
    failed(err);
  }
})();
