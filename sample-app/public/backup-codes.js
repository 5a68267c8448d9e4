// Backup codes arrive in exactly one answer (a first factor's confirm, or a regenerate) and are
// never shown again: this puts them on the page with copy and download, and nowhere else.
import { announce } from './ui.js';

let current = [];

export function showBackupCodes(codes, livePrefix) {
  current = codes;
  const list = document.getElementById('backup-code-list');
  list.replaceChildren(
    ...codes.map((text) => {
      const item = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = text;
      item.append(code);
      return item;
    }),
  );
  const panel = document.getElementById('backup-codes');
  panel.hidden = false;
  panel.focus();
  wire(livePrefix);
}

let wired = false;

function wire(livePrefix) {
  if (wired) return;
  wired = true;
  document.getElementById('copy-codes').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(current.join('\n'));
      announce(livePrefix, 'Backup codes copied.');
    } catch {
      announce(livePrefix, 'This browser did not allow copying: select the codes and copy them yourself.', 'error');
    }
  });
  document.getElementById('download-codes').addEventListener('click', () => {
    const text = `nestjs-mfa sample backup codes (each works once)\n\n${current.join('\n')}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'backup-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    announce(livePrefix, 'Backup codes downloaded as backup-codes.txt.');
  });
}
