import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpSmsSenderOptions } from './http-sms.sender';
import { MfaConfigurationError, DeliveryStatusReport, StatusCallbackRequest } from '../../core/src';

/** Every preset takes `baseUrl`, so a test (or a regional endpoint) can stand in for the provider's host. */
interface Base {
  baseUrl?: string;
  timeoutMs?: number;
}

export interface TwilioOptions extends Base {
  accountSid: string;
  authToken: string;
  /** A Twilio number or alphanumeric sender; or use `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  /** Your public URL of `POST <prefix>/delivery/twilio/status`, exactly as Twilio will call it (it is signed). */
  statusCallbackUrl?: string;
}

export interface VonageOptions extends Base {
  apiKey: string;
  apiSecret: string;
  from: string;
  /**
   * Your public URL of `<prefix>/delivery/vonage/status?token=<callbackToken>`. Vonage's
   * SMS API does not sign delivery receipts, so the secret token in the URL is what
   * authenticates them.
   */
  callbackUrl?: string;
  callbackToken?: string;
}

export interface InfobipOptions extends Base {
  apiKey: string;
  /** Your account's base URL, e.g. https://xxxxx.api.infobip.com (required by Infobip). */
  baseUrl: string;
  from: string;
  notifyUrl?: string;
}

export interface MessageBirdOptions extends Base {
  accessKey: string;
  originator: string;
  reportUrl?: string;
}

export interface PlivoOptions extends Base {
  authId: string;
  authToken: string;
  src: string;
  /** Status callback URL. */
  url?: string;
}

export type SmsPresetOptions =
  | ({ preset: 'twilio' } & TwilioOptions)
  | ({ preset: 'vonage' } & VonageOptions)
  | ({ preset: 'infobip' } & InfobipOptions)
  | ({ preset: 'messagebird' } & MessageBirdOptions)
  | ({ preset: 'plivo' } & PlivoOptions);

const trim = (url: string) => url.replace(/\/+$/, '');

function required<T>(options: T, provider: string, keys: Array<keyof T>): void {
  for (const key of keys) {
    if (!options[key]) throw new MfaConfigurationError(`sms preset "${provider}" needs ${String(key)}.`);
  }
}

/**
 * Request shapes as each provider documents them. Switching provider is a change of
 * configuration: `new HttpSmsSender(SMS_PRESETS.twilio({...}))`, or `sms: { preset: 'twilio', ... }`.
 */
export const SMS_PRESETS = {
  /** Programmable Messaging: POST /2010-04-01/Accounts/{sid}/Messages.json, form body, basic auth. */
  twilio(o: TwilioOptions): HttpSmsSenderOptions {
    required(o, 'twilio', ['accountSid', 'authToken']);
    if (!o.from && !o.messagingServiceSid)
      throw new MfaConfigurationError('sms preset "twilio" needs from or messagingServiceSid.');
    const form: Record<string, string> = { To: '{{to}}', Body: '{{text}}' };
    if (o.messagingServiceSid) form.MessagingServiceSid = o.messagingServiceSid;
    else form.From = o.from!;
    if (o.statusCallbackUrl) form.StatusCallback = o.statusCallbackUrl;
    return {
      provider: 'twilio',
      timeoutMs: o.timeoutMs,
      url: `${trim(o.baseUrl ?? 'https://api.twilio.com')}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`,
      auth: { type: 'basic', username: o.accountSid, password: o.authToken },
      body: { type: 'form', value: form },
      messageIdPath: 'sid',
      statusPath: 'status',
      errorPath: 'code',
      statusCallback: o.statusCallbackUrl ? (req) => twilioStatus(req, o.authToken, o.statusCallbackUrl!) : undefined,
    };
  },

  /** SMS API: POST /sms/json; it answers 200 even when it refuses, so status "0" is the success rule. */
  vonage(o: VonageOptions): HttpSmsSenderOptions {
    required(o, 'vonage', ['apiKey', 'apiSecret', 'from']);
    if (o.callbackUrl && !o.callbackToken)
      throw new MfaConfigurationError('sms preset "vonage" with callbackUrl needs callbackToken.');
    const form: Record<string, string> = {
      api_key: o.apiKey,
      api_secret: o.apiSecret,
      from: o.from,
      to: '{{toDigits}}',
      text: '{{text}}',
    };
    if (o.callbackUrl) form.callback = o.callbackUrl;
    return {
      provider: 'vonage',
      timeoutMs: o.timeoutMs,
      url: `${trim(o.baseUrl ?? 'https://rest.nexmo.com')}/sms/json`,
      body: { type: 'form', value: form },
      success: { path: 'messages.0.status', equals: '0' },
      messageIdPath: 'messages.0.message-id',
      errorPath: 'messages.0.status',
      statusCallback: o.callbackToken ? (req) => vonageStatus(req, o.callbackToken!) : undefined,
    };
  },

  /** SMS API: POST /sms/2/text/advanced with `Authorization: App <key>`. */
  infobip(o: InfobipOptions): HttpSmsSenderOptions {
    required(o, 'infobip', ['apiKey', 'baseUrl', 'from']);
    const message: Record<string, unknown> = { destinations: [{ to: '{{toDigits}}' }], from: o.from, text: '{{text}}' };
    if (o.notifyUrl) message.notifyUrl = o.notifyUrl;
    return {
      provider: 'infobip',
      timeoutMs: o.timeoutMs,
      url: `${trim(o.baseUrl)}/sms/2/text/advanced`,
      headers: { authorization: `App ${o.apiKey}` },
      body: { type: 'json', value: { messages: [message] } as never },
      messageIdPath: 'messages.0.messageId',
      statusPath: 'messages.0.status.groupName',
      errorPath: 'requestError.serviceException.messageId',
    };
  },

  /** MessageBird (Bird) REST: POST /messages with `Authorization: AccessKey <key>`. */
  messagebird(o: MessageBirdOptions): HttpSmsSenderOptions {
    required(o, 'messagebird', ['accessKey', 'originator']);
    const body: Record<string, unknown> = { recipients: ['{{toDigits}}'], originator: o.originator, body: '{{text}}' };
    if (o.reportUrl) body.reportUrl = o.reportUrl;
    return {
      provider: 'messagebird',
      timeoutMs: o.timeoutMs,
      url: `${trim(o.baseUrl ?? 'https://rest.messagebird.com')}/messages`,
      headers: { authorization: `AccessKey ${o.accessKey}` },
      body: { type: 'json', value: body as never },
      messageIdPath: 'id',
      statusPath: 'recipients.items.0.status',
      errorPath: 'errors.0.code',
    };
  },

  /** Message API: POST /v1/Account/{auth_id}/Message/, JSON, basic auth. */
  plivo(o: PlivoOptions): HttpSmsSenderOptions {
    required(o, 'plivo', ['authId', 'authToken', 'src']);
    const body: Record<string, unknown> = { src: o.src, dst: '{{to}}', text: '{{text}}' };
    if (o.url) body.url = o.url;
    return {
      provider: 'plivo',
      timeoutMs: o.timeoutMs,
      url: `${trim(o.baseUrl ?? 'https://api.plivo.com')}/v1/Account/${encodeURIComponent(o.authId)}/Message/`,
      auth: { type: 'basic', username: o.authId, password: o.authToken },
      body: { type: 'json', value: body as never },
      messageIdPath: 'message_uuid.0',
      errorPath: 'error',
    };
  },
};

/** Builds the sender options of a `{ preset, ...options }` configuration. */
export function smsPreset(options: SmsPresetOptions): HttpSmsSenderOptions {
  const build = SMS_PRESETS[options.preset] as (o: SmsPresetOptions) => HttpSmsSenderOptions;
  if (!build)
    throw new MfaConfigurationError(
      `Unknown sms preset "${(options as { preset: string }).preset}". Known: ${Object.keys(SMS_PRESETS).join(', ')}.`,
    );
  return build(options);
}

/**
 * Twilio signs each callback: base64 HMAC-SHA1, keyed by the auth token, over the URL
 * it called followed by every POST parameter (sorted by name) as name + value.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function twilioStatus(req: StatusCallbackRequest, authToken: string, url: string): DeliveryStatusReport | null {
  const given = req.headers['x-twilio-signature'];
  if (!given || !safeEqual(given, twilioSignature(authToken, url, req.body))) return null;
  const { MessageSid, MessageStatus } = req.body;
  return MessageSid && MessageStatus ? { provider: 'twilio', messageId: MessageSid, status: MessageStatus } : null;
}

function vonageStatus(req: StatusCallbackRequest, token: string): DeliveryStatusReport | null {
  if (!req.query.token || !safeEqual(req.query.token, token)) return null;
  // Vonage sends receipts as GET query parameters or as a POST body, as the account is set up.
  const params = { ...req.query, ...req.body };
  const messageId = params.messageId;
  const status = params.status;
  return messageId && status ? { provider: 'vonage', messageId, status } : null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
