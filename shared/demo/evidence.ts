import type { Evidence, EvidenceSource } from '../exception';
import { FX_TO_USD } from './catalog';
import { SCALE, type RecordContext } from './context';
import { unitsToDecimal } from './decimal-text';

/**
 * One evidence row per source, with the column names the partner report really uses
 * (shared/DOMAIN.md), so the workspace and the SOP conditions see realistic data.
 */

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

const dec = (micros: number | bigint): string => unitsToDecimal(micros, SCALE);

/** micros × basis points, exact: the result has SCALE + 4 decimals. */
const bp = (micros: number, basisPoints: number): string =>
  unitsToDecimal(BigInt(micros) * BigInt(basisPoints), SCALE + 4);

const day = (d: Date): string => d.toISOString().slice(0, 10);
const seconds = (d: Date): string => d.toISOString();

function addDays(iso: string, days: number): Date {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000);
}

type Builder = (ctx: RecordContext, row: number) => { reference: string; fields: Record<string, string> };

const awsBilledRevenue: Builder = (ctx) => {
  const reference = ctx.rng.hex(32);
  const gross = ctx.grossMicros;
  const feeBp = ctx.isPrivateOffer ? 200 : 300;
  const fee = (BigInt(gross) * BigInt(feeBp)) / 10_000n;
  return {
    reference,
    fields: {
      'Customer Reference ID': ctx.customer.awsAccountId,
      'Product Title': ctx.productTitle,
      'Product Code': ctx.productCode,
      'Customer Billed Amount': dec(gross),
      'AWS Listing Fee': dec(-fee),
      'Refunds Amount': ctx.type === 'refund_unmatched' ? dec(ctx.actualMicros) : '0',
      'AWS Fee Refund': '0',
      Cost: '0',
      'Partner Revenue Amount': dec(BigInt(gross) - fee),
      Currency: ctx.currency,
      'Transaction Reference ID': reference,
      'US Sales Tax Billed': ctx.type === 'tax_variance' ? bp(ctx.grossMicros, 725) : '0',
      'Offer ID': ctx.offerId ?? '',
      'Offer Visibility': ctx.isPrivateOffer ? 'Private' : 'Public',
      'Customer AWS Account Number': ctx.customer.awsAccountId,
    },
  };
};

const awsDisbursement: Builder = (ctx) => {
  const reference = ctx.rng.hex(32);
  const gross = BigInt(ctx.grossMicros);
  const fee = (gross * 300n) / 10_000n;
  const start = ctx.periodStart;
  const end = ctx.periodEnd;
  return {
    reference,
    fields: {
      SellerRev: dec(gross),
      AWSRefFee: dec(-fee),
      SellerRevRefund: '0',
      AWSRefFeeRefund: '0',
      SellerRevCredit: '0',
      AWSRefFeeCredit: '0',
      'Net Amount': dec(gross - fee),
      'Transaction Reference ID': reference,
      'Settlement ID': ctx.payoutId ?? ctx.rng.digits(10),
      'Settlement Period Start Date': start,
      'Settlement Period End Date': end,
      'Deposit Date': day(addDays(end, 30)),
      'Disbursed Amount': dec(ctx.actualMicros),
    },
  };
};

const AWS_MARKETPLACE_ACCOUNT = '287250355862';

const awsBillingEvent: Builder = (ctx, row) => {
  const reference = `be-${ctx.rng.chars(20, LOWER_ALNUM)}`;
  const isRefund = ctx.type === 'refund_unmatched';
  const isDisbursement = ctx.type === 'disbursement_variance' || ctx.type === 'short_payment';
  const action = isDisbursement
    ? 'DISBURSED'
    : ctx.type === 'credit_not_applied' && row > 0
      ? 'FORGIVEN'
      : 'INVOICED';
  const transactionType = isRefund
    ? 'SELLER_REV_SHARE_REFUND'
    : isDisbursement
      ? 'DISBURSEMENT'
      : ctx.type === 'tax_variance'
        ? 'SELLER_TAX_SHARE'
        : ctx.type === 'listing_fee_mismatch'
          ? 'AWS_REV_SHARE'
          : 'SELLER_REV_SHARE';
  const amount = transactionType === 'AWS_REV_SHARE' ? -ctx.actualMicros : ctx.actualMicros;
  return {
    reference,
    fields: {
      billing_event_id: reference,
      from_account_id: ctx.customer.awsAccountId,
      to_account_id: AWS_MARKETPLACE_ACCOUNT,
      end_user_account_id: ctx.customer.awsAccountId,
      product_id: `prod-${ctx.productCode.slice(0, 13)}`,
      action,
      transaction_type: transactionType,
      parent_billing_event_id: isRefund ? '' : row > 0 ? `be-${ctx.rng.chars(20, LOWER_ALNUM)}` : '',
      disbursement_billing_event_id: isDisbursement ? `be-${ctx.rng.chars(20, LOWER_ALNUM)}` : '',
      amount: dec(amount),
      currency: ctx.currency,
      invoice_date: ctx.invoiceDate,
      payment_due_date: ctx.dueDate,
      usage_period_start_date: `${ctx.periodStart}T00:00:00Z`,
      usage_period_end_date: `${ctx.periodEnd}T23:59:59Z`,
      invoice_id: ctx.partnerInvoiceId ?? '',
      transaction_reference_id: ctx.rng.hex(32),
      bank_trace_id: isDisbursement ? `TRC${ctx.rng.digits(12)}` : '',
      broker_id: AWS_MARKETPLACE_ACCOUNT,
    },
  };
};

const METER_STATUS: Partial<Record<RecordContext['type'], string>> = {
  metering_rejected: 'CustomerNotSubscribed',
  duplicate_metering: 'DuplicateRecord',
};

const awsMeterUsage: Builder = (ctx, row) => {
  const at = new Date(Date.parse(`${ctx.periodStart}T00:00:00Z`) + ctx.rng.int(0, 27 * 24) * 3_600_000);
  const reference = `mr-${ctx.rng.hex(24)}`;
  return {
    reference,
    fields: {
      Timestamp: seconds(at),
      CustomerAWSAccountId: ctx.customer.awsAccountId,
      Dimension: ctx.dimension?.key ?? 'input_tokens_1m',
      Quantity: String(Math.max(1, Math.round(ctx.quantity / (row + 1)))),
      Status: METER_STATUS[ctx.type] ?? 'Success',
    },
  };
};

const azureEarnings: Builder = (ctx) => {
  const reference = ctx.rng.digits(12);
  const rate = FX_TO_USD[ctx.currency];
  const usdMicros =
    (BigInt(ctx.grossMicros) * BigInt(rate.replace('.', ''))) /
    10n ** BigInt(rate.split('.')[1]?.length ?? 0);
  return {
    reference,
    fields: {
      earningId: reference,
      earningAmount: dec(ctx.grossMicros),
      earningAmountUSD: dec(usdMicros),
      earningExchangeRate: rate,
      exchangeRateDate: ctx.periodEnd,
      earningType: ctx.type === 'refund_unmatched' ? 'Refund' : 'Billed',
      customerId: ctx.customer.azureTenantId,
      customerName: ctx.customer.name,
      orderId: ctx.agreementId,
      lineItemId: ctx.rng.digits(9),
      invoiceNumber: ctx.partnerInvoiceId ?? '',
      isPrivateOffer: ctx.isPrivateOffer ? 'True' : 'False',
      productId: 'ledgerdesk.inference-api',
      paymentId: ctx.payoutId ?? '',
      paymentStatus: ctx.payoutId ? 'Sent' : 'Upcoming',
    },
  };
};

const azurePayment: Builder = (ctx) => {
  const reference = ctx.payoutId ?? ctx.rng.digits(7);
  return {
    reference,
    fields: {
      paymentID: reference,
      paymentDate: day(addDays(ctx.periodEnd, 45)),
      totalPayment: dec(ctx.actualMicros),
      currency: ctx.currency,
    },
  };
};

const AZURE_USAGE_STATUS: Partial<Record<RecordContext['type'], string>> = {
  metering_rejected: 'ResourceNotFound',
  duplicate_metering: 'Duplicate',
  late_metering: 'Expired',
};

const azureMeteredUsage: Builder = (ctx, row) => {
  const reference = ctx.rng.guid();
  const at = new Date(Date.parse(`${ctx.periodStart}T00:00:00Z`) + ctx.rng.int(0, 27 * 24) * 3_600_000);
  return {
    reference,
    fields: {
      usageEventId: reference,
      resourceId: ctx.agreementId,
      planId: ctx.productCode,
      dimension: ctx.dimension?.key ?? 'input_tokens_1m',
      quantity: String(Math.max(1, Math.round(ctx.quantity / (row + 1)))),
      effectiveStartTime: seconds(at),
      status: AZURE_USAGE_STATUS[ctx.type] ?? 'Accepted',
    },
  };
};

const gcpChargesUsage: Builder = (ctx) => {
  const reference = ctx.rng.guid();
  return {
    reference,
    fields: {
      account: ctx.customer.gcpBillingAccount,
      plan: ctx.productCode,
      offer: ctx.offerId ?? '',
      usageReportingId: `project_number:${ctx.rng.digits(12)}`,
      consumerId: `project:${ctx.customer.id.toLowerCase()}-prod`,
      startTime: `${ctx.periodStart}T00:00:00Z`,
      endTime: `${ctx.periodEnd}T23:59:59Z`,
      metric: `ledgerdesk-inference.endpoints.ledgerdesk-public.cloud.goog/${ctx.dimension?.key ?? 'input_tokens_1m'}`,
      value: String(ctx.quantity),
      charges: dec(ctx.grossMicros),
      currency: ctx.currency,
    },
  };
};

const gcpDisbursement: Builder = (ctx) => {
  const reference = ctx.payoutId ?? `PAYOUT-${ctx.rng.hex(10, true)}`;
  const abandoned = ctx.actualMicros === 0;
  return {
    reference,
    fields: {
      Entity: abandoned ? 'Abandoned Payout' : 'Released Payout',
      Currency: ctx.currency,
      Amount: dec(ctx.expectedMicros),
      'Customer Refund': '0',
      Total: dec(ctx.actualMicros),
    },
  };
};

const bankStatement: Builder = (ctx) => {
  const reference = `TRC${ctx.rng.digits(12)}`;
  return {
    reference,
    fields: {
      'Value Date': day(addDays(ctx.periodEnd, ctx.rng.int(20, 50))),
      Amount: dec(ctx.actualMicros),
      Currency: ctx.currency,
      'Bank Trace ID': reference,
      Reference: ctx.payoutId ?? ctx.partnerInvoiceId ?? ctx.agreementId,
      Counterparty:
        ctx.channel === 'aws'
          ? 'AMAZON WEB SERVICES EMEA SARL'
          : ctx.channel === 'azure'
            ? 'MICROSOFT IRELAND OPERATIONS LTD'
            : ctx.channel === 'gcp'
              ? 'GOOGLE CLOUD EMEA LTD'
              : ctx.channel === 'reseller'
                ? ctx.customer.resellerName.toUpperCase()
                : ctx.customer.name.toUpperCase(),
    },
  };
};

const internalUsage: Builder = (ctx) => {
  const reference = `usg-${ctx.rng.hex(16)}`;
  return {
    reference,
    fields: {
      agreement_id: ctx.agreementId,
      customer_id: ctx.customer.id,
      dimension: ctx.dimension?.key ?? 'input_tokens_1m',
      usage_period_start: ctx.periodStart,
      usage_period_end: ctx.periodEnd,
      quantity: String(ctx.quantity),
      unit_price: dec(ctx.unitPriceMicros),
      amount: dec(ctx.expectedMicros),
      currency: ctx.currency,
    },
  };
};

const internalInvoice: Builder = (ctx) => {
  const reference = ctx.partnerInvoiceId ?? `INV-${ctx.periodEnd.slice(0, 4)}-${ctx.rng.digits(6)}`;
  return {
    reference,
    fields: {
      invoice_number: reference,
      customer_id: ctx.customer.id,
      agreement_id: ctx.agreementId,
      sku: ctx.productCode,
      invoice_date: ctx.invoiceDate,
      due_date: ctx.dueDate,
      amount: dec(ctx.expectedMicros),
      currency: ctx.currency,
      status: ctx.type === 'missing_invoice' ? 'not_issued' : 'open',
    },
  };
};

const crmContract: Builder = (ctx) => {
  const reference = `006${ctx.rng.chars(12, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`;
  return {
    reference,
    fields: {
      deal_id: reference,
      agreement_id: ctx.agreementId,
      offer_id: ctx.offerId ?? '',
      private_offer: ctx.isPrivateOffer ? 'true' : 'false',
      contract_rate: ctx.unitPriceMicros > 0 ? dec(ctx.unitPriceMicros) : '',
      discount_pct: ctx.type === 'discount_not_applied' ? '15' : '0',
      tcv: dec(ctx.grossMicros * 12),
      currency: ctx.currency,
      start_date: ctx.periodStart,
      end_date: day(addDays(ctx.periodStart, 364)),
    },
  };
};

const resellerStatement: Builder = (ctx) => {
  const reference = `RS-${ctx.periodEnd.slice(0, 7)}-${ctx.rng.digits(5)}`;
  const margin = (BigInt(ctx.grossMicros) * 1_500n) / 10_000n;
  return {
    reference,
    fields: {
      'Reseller ID': ctx.customer.resellerId,
      'Statement Period': ctx.periodEnd.slice(0, 7),
      'End Customer': ctx.customer.name,
      'Invoice Number': ctx.partnerInvoiceId ?? '',
      SKU: ctx.productCode,
      'Gross Amount': dec(ctx.grossMicros),
      Margin: dec(-margin),
      'Net Due': dec(BigInt(ctx.grossMicros) - margin),
      'Amount Paid': dec(ctx.actualMicros),
      Currency: ctx.currency,
    },
  };
};

const BUILDERS: Readonly<Record<EvidenceSource, Builder>> = {
  internal_usage: internalUsage,
  internal_invoice: internalInvoice,
  crm_contract: crmContract,
  bank_statement: bankStatement,
  aws_billed_revenue: awsBilledRevenue,
  aws_disbursement: awsDisbursement,
  aws_billing_event: awsBillingEvent,
  aws_meter_usage: awsMeterUsage,
  azure_earnings: azureEarnings,
  azure_payment: azurePayment,
  azure_metered_usage: azureMeteredUsage,
  gcp_charges_usage: gcpChargesUsage,
  gcp_disbursement: gcpDisbursement,
  reseller_statement: resellerStatement,
};

export function buildEvidence(ctx: RecordContext, source: EvidenceSource, row: number): Evidence {
  const { reference, fields } = BUILDERS[source](ctx, row);
  const receivedAt = new Date(
    Math.min(
      ctx.openedAt.getTime(),
      Date.parse(`${ctx.periodEnd}T00:00:00Z`) + ctx.rng.int(1, 20) * 86_400_000,
    ),
  );
  return { id: `${ctx.id}-E${row + 1}`, source, reference, receivedAt: seconds(receivedAt), fields };
}
