/**
 * Calls `onTick` with the whole seconds left until `until`: at once, then as each second
 * passes, ending with 0. Meant for "Resend code in 42 s" next to `resendAvailableAt`, or a
 * lockout's `retryAfterSeconds` (a number is seconds from now). Returns a function that stops it.
 * `now`: the clock to count by (the client's `now` option).
 */
export function countdown(
  until: string | Date | number,
  onTick: (secondsLeft: number) => void,
  now: () => number = () => Date.now(),
): () => void {
  const end = typeof until === 'number' ? now() + until * 1000 : new Date(until).getTime();
  if (Number.isNaN(end)) throw new TypeError(`nestjs-mfa/client: countdown needs a date, got ${String(until)}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const msLeft = end - now();
    const secondsLeft = Math.max(0, Math.ceil(msLeft / 1000));
    onTick(secondsLeft);
    // Wake at the next whole-second boundary, so a late timer never shows a second twice.
    if (secondsLeft > 0) timer = setTimeout(tick, msLeft % 1000 || 1000);
  };
  tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
