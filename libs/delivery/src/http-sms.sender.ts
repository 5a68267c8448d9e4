import {
  DeliveryError,
  MfaConfigurationError,
  DeliveryReceipt,
  DeliveryStatusReport,
  SmsMessage,
  SmsSender,
  StatusCallbackRequest,
} from '../../core/src';

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/**
 * Any HTTP SMS gateway as configuration. String values may hold placeholders:
 * `{{to}}` (E.164, `+905321234512`), `{{toDigits}}` (`905321234512`) and `{{text}}`.
 * A value that is exactly one placeholder of an unset variable drops its key.
 */
export interface HttpSmsTemplate {
  /** Names the provider in receipts, audit lines and delivery reports. */
  provider: string;
  /** @default 'POST' */
  method?: 'POST' | 'PUT' | 'GET';
  url: string;
  headers?: Record<string, string>;
  auth?: { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };
  /** JSON or `application/x-www-form-urlencoded` (values flattened to strings). */
  body?: { type: 'json'; value: Value } | { type: 'form'; value: Record<string, string> };
  /**
   * When the provider accepted the message: a status list (default any 2xx) and, for
   * providers that answer 200 with a refusal inside, a JSON path that must equal a value.
   */
  success?: { status?: number[]; path?: string; equals?: string | number | boolean };
  /** JSON paths into the answer: `messages.0.message-id`. */
  messageIdPath?: string;
  statusPath?: string;
  /** A JSON path to the provider's error code, audited on failure instead of the raw answer. */
  errorPath?: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export interface HttpSmsSenderOptions extends HttpSmsTemplate {
  /** Reads a delivery report posted back by this provider; see the presets for Twilio and Vonage. */
  statusCallback?: (request: StatusCallbackRequest) => DeliveryStatusReport | null;
}

/** The built-in SMS sender: one HTTP request per message, shaped by a template or a preset. */
export class HttpSmsSender implements SmsSender {
  constructor(private readonly options: HttpSmsSenderOptions) {
    if (!options?.url || !/^https?:\/\//.test(options.url))
      throw new MfaConfigurationError('sms: the gateway url must start with http:// or https://.');
    if (!options.provider) throw new MfaConfigurationError('sms: name the provider (e.g. "twilio" or "my-gateway").');
  }

  get provider(): string {
    return this.options.provider;
  }

  async send(message: SmsMessage): Promise<DeliveryReceipt> {
    const o = this.options;
    const vars: Record<string, string | undefined> = {
      to: message.to,
      toDigits: message.to.replace(/^\+/, ''),
      text: message.text,
    };
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (o.auth?.type === 'basic')
      headers.authorization = `Basic ${Buffer.from(`${o.auth.username}:${o.auth.password}`).toString('base64')}`;
    if (o.auth?.type === 'bearer') headers.authorization = `Bearer ${o.auth.token}`;
    let body: string | undefined;
    if (o.body?.type === 'json') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(fill(o.body.value, vars));
    } else if (o.body?.type === 'form') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(fill(o.body.value, vars) as Record<string, string>).toString();
    }
    const url = fillString(o.url, vars, encodeURIComponent) ?? o.url;
    let res: Response;
    try {
      res = await fetch(url, {
        method: o.method ?? 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new DeliveryError(o.provider, (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
    }
    const answer = await res.json().catch(() => null);
    const statusOk = o.success?.status ? o.success.status.includes(res.status) : res.status >= 200 && res.status < 300;
    const bodyOk = !o.success?.path || String(pick(answer, o.success.path)) === String(o.success.equals);
    if (!statusOk || !bodyOk) {
      const code = o.errorPath ? pick(answer, o.errorPath) : undefined;
      throw new DeliveryError(
        o.provider,
        `HTTP ${res.status}${code !== undefined && code !== null ? ` ${String(code).slice(0, 40)}` : ''}`,
      );
    }
    const messageId = o.messageIdPath ? pick(answer, o.messageIdPath) : undefined;
    const status = o.statusPath ? pick(answer, o.statusPath) : undefined;
    return {
      provider: o.provider,
      messageId: messageId == null ? undefined : String(messageId),
      status: status == null ? undefined : String(status),
    };
  }

  parseStatusCallback(provider: string, request: StatusCallbackRequest): DeliveryStatusReport | null {
    if (provider !== this.options.provider || !this.options.statusCallback) return null;
    return this.options.statusCallback(request);
  }
}

/** `a.0.b` into parsed JSON. */
export function pick(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}

function fillString(
  template: string,
  vars: Record<string, string | undefined>,
  encode: (s: string) => string = (s) => s,
): string | undefined {
  const whole = /^\{\{(\w+)\}\}$/.exec(template);
  if (whole) return vars[whole[1]] === undefined ? undefined : encode(vars[whole[1]]!);
  return template.replace(/\{\{(\w+)\}\}/g, (all, name: string) =>
    vars[name] === undefined ? all : encode(vars[name]!),
  );
}

function fill(value: Value, vars: Record<string, string | undefined>): Value {
  if (typeof value === 'string') return fillString(value, vars) ?? null;
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') {
    const out: Record<string, Value> = {};
    for (const [key, v] of Object.entries(value)) {
      const filled = fill(v, vars);
      if (!(filled === null && typeof v === 'string')) out[key] = filled;
    }
    return out;
  }
  return value;
}
