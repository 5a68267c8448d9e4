import { ValueTransformer } from 'typeorm';

/** Times are epoch milliseconds in BIGINT columns: the same on every driver, no time zones. */
export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
