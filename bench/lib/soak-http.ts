/**
 * P9's client: node:http over a keep-alive agent with a fixed socket cap, so the server's
 * socket handles are bounded by the client and any growth in them is the server's. Every
 * answer is counted by request label and status class; 5xx answers keep their bodies. A request
 * with no complete answer in TIMEOUT_MS is destroyed and counted as an error, like a
 * connection error, so one stuck request cannot hang a flow (or the run).
 */
import http from 'node:http';

export interface Answer {
  status: number;
  body: string;
  setCookie: string[];
}

export interface Problem {
  label: string;
  status: number | 'error';
  body: string;
}

const KEEP = 20;
export const TIMEOUT_MS = 30_000;

export class SoakClient {
  /** label → status class ('2xx', '4xx', 'error', …) → answers. */
  readonly byLabel = new Map<string, Record<string, number>>();
  readonly serverErrors: Problem[] = [];
  serverErrorCount = 0;
  /** Connection errors and timeouts (no answer at all). */
  errorCount = 0;
  /** Answers a flow did not expect (not 5xx): counted by flow, the first few kept. */
  readonly unexpected: Problem[] = [];
  answered = 0;
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(
    base: string,
    readonly sockets: number,
  ) {
    this.url = new URL(base);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(
    label: string,
    method: 'GET' | 'POST',
    path: string,
    opts: { cookie?: string; json?: unknown } = {},
  ): Promise<Answer | null> {
    const payload = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        this.failed(label, err);
        resolve(null);
      };
      const req = http.request(
        { host: this.url.hostname, port: this.url.port, path, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            const answer = {
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              setCookie: res.headers['set-cookie'] ?? [],
            };
            this.count(label, `${Math.floor(answer.status / 100)}xx`);
            if (answer.status >= 500) {
              this.serverErrorCount++;
              if (this.serverErrors.length < KEEP)
                this.serverErrors.push({ label, status: answer.status, body: answer.body.slice(0, 500) });
            }
            resolve(answer);
          });
          res.on('error', fail);
          res.on('close', () => fail(new Error('the connection closed before the answer ended')));
        },
      );
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`timeout: no answer in ${TIMEOUT_MS / 1000} s`)));
      req.on('error', fail);
      req.end(payload);
    });
  }

  /** A flow got an answer it did not expect: kept for the report, never thrown. */
  note(label: string, answer: Answer | null): void {
    if (!answer || answer.status >= 500 || this.unexpected.length >= KEEP) return;
    this.unexpected.push({ label, status: answer.status, body: answer.body.slice(0, 300) });
  }

  close(): void {
    this.agent.destroy();
  }

  private count(label: string, cls: string): void {
    this.answered++;
    const row = this.byLabel.get(label) ?? {};
    row[cls] = (row[cls] ?? 0) + 1;
    this.byLabel.set(label, row);
  }

  private failed(label: string, err: Error): void {
    this.count(label, 'error');
    this.errorCount++;
    if (this.serverErrors.length < KEEP) this.serverErrors.push({ label, status: 'error', body: String(err) });
  }
}

/** The `name=value` part of a Set-Cookie, if the answer set that cookie. */
export function cookieIn(setCookie: string[], name: string): string | undefined {
  return setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);
}
