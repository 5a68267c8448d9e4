import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  /** The body parsed as the content type says (form → object, JSON → value). */
  body: any;
}

export type GatewayAnswer = { status: number; body: unknown };

/** A real HTTP server on loopback playing an SMS provider's API. It records every request. */
export class LocalSmsGateway {
  readonly requests: GatewayRequest[] = [];
  /** How the "provider" answers; the default is Twilio's 201 with a message sid. */
  answer: (req: GatewayRequest) => GatewayAnswer = () => ({
    status: 201,
    body: { sid: `SM${this.requests.length}`, status: 'queued' },
  });

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LocalSmsGateway> {
    let gateway!: LocalSmsGateway;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const type = String(req.headers['content-type'] ?? '');
        const body = type.includes('json') ? JSON.parse(raw || 'null') : Object.fromEntries(new URLSearchParams(raw));
        const recorded: GatewayRequest = { method: req.method!, path: req.url!, headers: req.headers, raw, body };
        gateway.requests.push(recorded);
        const { status, body: answer } = gateway.answer(recorded);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gateway = new LocalSmsGateway(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return gateway;
  }

  /** The code in the newest message (Twilio's form field `Body` unless told otherwise). */
  lastCode(text: (req: GatewayRequest) => string = (r) => r.body.Body): string {
    const last = this.requests.at(-1);
    if (!last) throw new Error('the gateway received nothing');
    const match = /\b(\d{3}-?\d{3,7})\b/.exec(text(last));
    if (!match) throw new Error('no code in the message');
    return match[1];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Options wiring the Twilio preset and SMTP to these local servers. */
export function deliveryOptions(gateway: LocalSmsGateway, smtp: { transport: object }) {
  return {
    sms: {
      preset: 'twilio' as const,
      accountSid: 'AC0123456789',
      authToken: 'twilio-auth-token-secret',
      from: '+15005550006',
      baseUrl: gateway.url,
      statusCallbackUrl: 'https://app.example.test/mfa/delivery/twilio/status',
    },
    email: { transport: smtp.transport, from: '"Acme Security" <security@acme.example>' },
  };
}
