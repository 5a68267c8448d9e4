/** One message to a bound phone number. `to` is E.164 (`+905321234512`). */
export interface SmsMessage {
  to: string;
  text: string;
}

/** One message to a bound email address. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** What a provider said when it took the message. */
export interface DeliveryReceipt {
  /** e.g. 'twilio', 'smtp', 'dev-outbox'. */
  provider: string;
  messageId?: string;
  /** The provider's own status word, e.g. 'queued', 'accepted'. */
  status?: string;
}

/** A delivery status report a provider posted back (Twilio StatusCallback, Vonage DLR). */
export interface DeliveryStatusReport {
  provider: string;
  messageId: string;
  status: string;
}

/** The parts of an incoming callback request a sender needs to authenticate and read it. */
export interface StatusCallbackRequest {
  /** Query string parameters. */
  query: Record<string, string>;
  /** Body parameters (form or JSON), string values only. */
  body: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
}

/**
 * Sends SMS. Throw `DeliveryError` when the provider refuses; the engine then answers
 * 503 DELIVERY_FAILED without counting an attempt. Inject your own to use any gateway.
 */
export interface SmsSender {
  send(message: SmsMessage): Promise<DeliveryReceipt>;
  /**
   * Authenticates and reads a delivery report for `provider`; null when the request is
   * not authentic or not a report of this sender.
   */
  parseStatusCallback?(provider: string, request: StatusCallbackRequest): DeliveryStatusReport | null;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<DeliveryReceipt>;
}
