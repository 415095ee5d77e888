import type { Channel, ExceptionType } from '../exception-types';
import type { Currency } from '../money';
import type { Prng } from './prng';
import type { Dimension } from './catalog';

/** Amounts inside the generator are safe integers of 10^-6 major units (micros). */
export const SCALE = 6;

export interface DemoCustomer {
  id: string;
  name: string;
  awsAccountId: string;
  azureTenantId: string;
  gcpBillingAccount: string;
  resellerId: string;
  resellerName: string;
  directAccount: string;
  agreements: Readonly<Record<Channel, string>>;
}

/** Everything one record's evidence rows are built from, so the rows agree with the record. */
export interface RecordContext {
  rng: Prng;
  id: string;
  type: ExceptionType;
  channel: Channel;
  currency: Currency;
  customer: DemoCustomer;
  partnerAccountId: string;
  agreementId: string;
  offerId: string | null;
  isPrivateOffer: boolean;
  productCode: string;
  productTitle: string;
  dimension: Dimension | null;
  /** Metered / invoiced quantity behind the amounts, when the type is about usage. */
  quantity: number;
  /** Contract price per unit of the dimension, in micros (0 when the type is not about usage). */
  unitPriceMicros: number;
  periodStart: string;
  periodEnd: string;
  /** The day after the period, and 30 days after that: the invoice and payment-due dates. */
  invoiceDate: string;
  dueDate: string;
  openedAt: Date;
  partnerInvoiceId: string | null;
  payoutId: string | null;
  expectedMicros: number;
  actualMicros: number;
  /** A gross amount the fee / tax / net figures on the evidence derive from. */
  grossMicros: number;
}
