/** Customer directory model. */
import type { EpochMs } from './call.js';

export interface CustomerPhone {
  /** E.164 form, the lookup key. */
  e164: string;
  label?: string;
}

export interface Purchase {
  id: string;
  sku: string;
  label?: string;
  amountCents?: number;
  currency?: string;
  purchasedAt: EpochMs;
}

export interface Interaction {
  id: string;
  at: EpochMs;
  channel: string;
  agentId?: string;
  summary?: string;
  callId?: string;
  disposition?: string;
}

export type AttributeValue = string | number | boolean;

export interface Customer {
  id: string;
  /** The id the customer has in the CRM or the file it came from; unique when set. */
  externalId?: string;
  name: string;
  phones: CustomerPhone[];
  tier: string;
  language?: string;
  email?: string;
  /** Consent per purpose (e.g. `marketing`, `recording`); stored now, enforced by privacy. */
  consent: Record<string, boolean>;
  attributes: Record<string, AttributeValue>;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** What the hot path needs about a caller: the customer plus recent context, in one read. */
export interface CustomerCard extends Customer {
  recentPurchases: Purchase[];
  recentInteractions: Interaction[];
}
