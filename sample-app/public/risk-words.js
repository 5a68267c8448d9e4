// Risk in words, for the admin console. The risk engine explains a decision twice: as the line an
// audit event's reason starts with ("risk 1: impossibleTravel 9546 km in 1 min, newCountry BR;
// <rule>: …") and as explain's `risk: { score, signals }`. Both read the same here:
// "Risk 1 — impossible travel (9,546 km in 1 min), new country BR".

const number = new Intl.NumberFormat('en');
const minutes = (m) => (Number(m) < 1 ? 'under a minute' : `${m} min`);

/** Each signal explain can name (docs/risk.md), in words; a signal this page does not know shows by its name. */
const WORDS = {
  impossibleTravel: (v) => `impossible travel (${number.format(v.km)} km in ${minutes(v.minutes)})`,
  untrustedIp: () => 'an untrusted IP address',
  newCountry: (v) => `new country ${v.country}`,
  unknownCountry: () => 'no country (hidden or unknown)',
  newDevice: (v) => `new browser ${v.family}`,
  failureBurst: (v) => `${v.failures} failed attempts in a row`,
  unusualHour: (v) => `unusual hour (${v.hour}h UTC)`,
  hostSignal: (v) => `the app’s own risk signal ${v}`,
};

/** The audit line's items back into explain's shape, so both are worded by WORDS alone. */
const ITEMS = [
  [
    /^impossibleTravel (\d+) km in (\d+) min$/,
    (m) => ['impossibleTravel', { km: Number(m[1]), minutes: Number(m[2]) }],
  ],
  [/^untrustedIp$/, () => ['untrustedIp', true]],
  [/^newCountry (\S+)$/, (m) => ['newCountry', { country: m[1] }]],
  [/^unknownCountry$/, () => ['unknownCountry', true]],
  [/^newDevice (.+)$/, (m) => ['newDevice', { family: m[1] }]],
  [/^failureBurst (\d+)$/, (m) => ['failureBurst', { failures: Number(m[1]) }]],
  [/^unusualHour (\d+)h UTC$/, (m) => ['unusualHour', { hour: Number(m[1]) }]],
  [/^hostSignal (\S+)$/, (m) => ['hostSignal', Number(m[1])]],
];

function signalWords(name, value) {
  const words = WORDS[name];
  return words ? words(value) : name;
}

/** "Risk 0.5 — new country BR", from explain's `risk`. */
export function describeRisk({ score, signals }) {
  const words = Object.entries(signals ?? {}).map(([name, value]) => signalWords(name, value));
  return `Risk ${score} — ${words.length ? words.join(', ') : 'no signal'}`;
}

/**
 * An audit reason split into its risk line, in words, and the rest (the rule and why it was
 * unmet). `risk` is null when the decision did not use risk; `fired` says whether a signal did.
 * A reason the database cut short, or an item this page does not know, shows as it was written
 * rather than guessed at.
 */
export function splitReason(reason) {
  const match = /^risk (\d+(?:\.\d+)?): ([^;]*)(?:; ([\s\S]*))?$/.exec(reason ?? '');
  if (!match) return { risk: null, rest: reason ?? '' };
  const items = match[2] === 'no signal' ? [] : match[2].split(', ');
  const words = items.map((item) => {
    for (const [pattern, parse] of ITEMS) {
      const m = pattern.exec(item);
      if (m) return signalWords(...parse(m));
    }
    return item;
  });
  return {
    risk: `Risk ${match[1]} — ${words.length ? words.join(', ') : 'no signal'}`,
    fired: words.length > 0,
    rest: match[3] ?? '',
  };
}
