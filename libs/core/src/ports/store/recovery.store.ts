/** An admin-issued, single-use, time-limited ticket that lets a user who lost every factor enroll anew. */
export interface RecoveryTicketRecord {
  id: string;
  userId: string;
  codeDigest: string;
  issuedBy: string;
  reason: string | null;
  createdAt: number;
  expiresAt: number;
  redeemedAt: number | null;
}

export interface RecoveryTicketStore {
  createRecoveryTicket(record: RecoveryTicketRecord): Promise<void>;
  findRecoveryTicket(ticketId: string): Promise<RecoveryTicketRecord | null>;
  /** Spends the ticket if unspent and unexpired: one conditional write. */
  redeemRecoveryTicket(ticketId: string, now: number): Promise<boolean>;
}
