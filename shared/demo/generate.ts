import type { Evidence, EvidenceSource, ExceptionRecord } from '../exception';
import { CHANNELS, EXCEPTION_TYPES, type Channel, type ExceptionType } from '../exception-types';
import type { ExceptionStatus } from '../exception-status';
import { subtract, type Currency } from '../money';
import { CUSTOMER_NAMES, DIMENSIONS, PER_USD, PRODUCTS, RESELLERS } from './catalog';
import { SCALE, type DemoCustomer, type RecordContext } from './context';
import { unitsToDecimal } from './decimal-text';
import { buildEvidence } from './evidence';
import { Prng, WeightedTable } from './prng';

export interface DemoOptions {
  count: number;
  seed: number;
  /** The generator's "today": SLA dates are spread before and after it, nothing is opened after it. */
  now: Date;
  /** User ids that assigned / in-progress records point at. Defaults to the server's demo operators. */
  assigneeIds?: readonly string[];
}

/** The ids the server gives its demo operators (server/src/demo/users.ts), so demo assignments resolve. */
export const DEMO_ASSIGNEE_IDS: readonly string[] = ['user-operator1', 'user-operator2'];

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MICRO = 1_000_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Group = 'usage' | 'billing' | 'cash' | 'mapping';

interface TypeRule {
  weight: number;
  group: Group;
  channels: readonly Channel[];
}

const MARKETPLACES: readonly Channel[] = ['aws', 'azure', 'gcp'];

const TYPE_RULES: Readonly<Record<ExceptionType, TypeRule>> = {
  usage_mismatch: { weight: 14, group: 'usage', channels: CHANNELS },
  metering_rejected: { weight: 7, group: 'usage', channels: MARKETPLACES },
  duplicate_metering: { weight: 4, group: 'usage', channels: MARKETPLACES },
  late_metering: { weight: 6, group: 'usage', channels: MARKETPLACES },
  rate_mismatch: { weight: 6, group: 'usage', channels: CHANNELS },
  discount_not_applied: { weight: 5, group: 'billing', channels: CHANNELS },
  listing_fee_mismatch: { weight: 5, group: 'billing', channels: MARKETPLACES },
  credit_not_applied: { weight: 4, group: 'billing', channels: CHANNELS },
  short_payment: { weight: 8, group: 'cash', channels: ['reseller', 'direct'] },
  disbursement_variance: { weight: 9, group: 'cash', channels: MARKETPLACES },
  refund_unmatched: { weight: 4, group: 'billing', channels: CHANNELS },
  fx_variance: { weight: 5, group: 'cash', channels: ['aws', 'azure', 'gcp', 'reseller'] },
  tax_variance: { weight: 3, group: 'billing', channels: CHANNELS },
  unmapped_account: { weight: 6, group: 'mapping', channels: CHANNELS },
  unmapped_sku: { weight: 4, group: 'mapping', channels: CHANNELS },
  missing_invoice: { weight: 5, group: 'billing', channels: CHANNELS },
};

const TYPE_TABLE = new WeightedTable(EXCEPTION_TYPES.map((t) => [t, TYPE_RULES[t].weight] as const));

const CHANNEL_WEIGHT: Readonly<Record<Channel, number>> = {
  aws: 40,
  azure: 25,
  gcp: 15,
  reseller: 10,
  direct: 10,
};

const CHANNEL_TABLES = Object.fromEntries(
  EXCEPTION_TYPES.map((t) => [
    t,
    new WeightedTable(TYPE_RULES[t].channels.map((c) => [c, CHANNEL_WEIGHT[c]] as const)),
  ]),
) as Record<ExceptionType, WeightedTable<Channel>>;

const PRIORITY_TABLE = new WeightedTable([
  [1, 8],
  [2, 17],
  [3, 40],
  [4, 25],
  [5, 10],
] as const);

/** Evidence sources per group and channel; the first is the row that raised the exception. */
const SOURCES: Readonly<Record<Group, Readonly<Record<Channel, readonly EvidenceSource[]>>>> = {
  usage: {
    aws: ['aws_meter_usage', 'internal_usage', 'aws_billing_event', 'aws_billed_revenue'],
    azure: ['azure_metered_usage', 'internal_usage', 'azure_earnings'],
    gcp: ['gcp_charges_usage', 'internal_usage', 'crm_contract'],
    reseller: ['internal_usage', 'reseller_statement', 'crm_contract'],
    direct: ['internal_usage', 'internal_invoice', 'crm_contract'],
  },
  billing: {
    aws: ['aws_billed_revenue', 'crm_contract', 'aws_billing_event', 'internal_invoice'],
    azure: ['azure_earnings', 'crm_contract', 'internal_invoice'],
    gcp: ['gcp_charges_usage', 'crm_contract', 'internal_invoice'],
    reseller: ['reseller_statement', 'crm_contract', 'internal_invoice'],
    direct: ['internal_invoice', 'crm_contract', 'internal_usage'],
  },
  cash: {
    aws: ['aws_disbursement', 'aws_billing_event', 'bank_statement', 'aws_billed_revenue'],
    azure: ['azure_payment', 'azure_earnings', 'bank_statement'],
    gcp: ['gcp_disbursement', 'gcp_charges_usage', 'bank_statement'],
    reseller: ['reseller_statement', 'bank_statement', 'internal_invoice'],
    direct: ['bank_statement', 'internal_invoice', 'crm_contract'],
  },
  mapping: {
    aws: ['aws_billed_revenue', 'aws_billing_event'],
    azure: ['azure_earnings'],
    gcp: ['gcp_charges_usage'],
    reseller: ['reseller_statement'],
    direct: ['internal_invoice'],
  },
};

const STATUS_TABLE = new WeightedTable<ExceptionStatus>([
  ['open', 70],
  ['assigned', 6],
  ['in_progress', 5],
  ['pending_partner', 4],
  ['pending_approval', 2],
  ['escalated', 3],
  ['resolved', 3],
  ['rework', 1],
  ['closed', 4],
  ['auto_cleared', 2],
]);
const NEEDS_ASSIGNEE: ReadonlySet<ExceptionStatus> = new Set([
  'assigned',
  'in_progress',
  'pending_approval',
  'resolved',
  'rework',
]);

/** SLA by priority, in hours from opening. */
const SLA_HOURS: Readonly<Record<number, number>> = { 1: 48, 2: 96, 3: 240, 4: 480, 5: 720 };

/** Most exceptions carry two or three source rows; a few carry up to six. */
const EVIDENCE_COUNT_TABLE = new WeightedTable([
  [1, 22],
  [2, 32],
  [3, 22],
  [4, 12],
  [5, 8],
  [6, 4],
] as const);

const RESELLER_CURRENCY: Readonly<Record<string, Currency>> = {
  'RSL-00458': 'EUR',
  'RSL-00563': 'AUD',
  'RSL-00742': 'JPY',
  'RSL-00815': 'GBP',
};

const PRIVATE_OFFER_CURRENCY_TABLE = new WeightedTable<Currency>([
  ['USD', 60],
  ['EUR', 14],
  ['GBP', 10],
  ['AUD', 8],
  ['JPY', 8],
]);

const AZURE_PLANS = [
  'payg-standard',
  'enterprise-commit',
  'batch-standard',
  'embeddings-standard',
  'fine-tune-standard',
];
const GCP_PLANS = [
  'inference-payg',
  'inference-enterprise',
  'inference-batch',
  'embeddings-payg',
  'fine-tuning',
];

function makeCustomers(rng: Prng, n: number): DemoCustomer[] {
  const out: DemoCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const base = CUSTOMER_NAMES[i % CUSTOMER_NAMES.length] ?? 'Customer';
    const round = Math.floor(i / CUSTOMER_NAMES.length);
    const name = round === 0 ? base : `${base} ${['EMEA', 'APAC', 'Americas', 'Labs', 'Group'][round % 5]}`;
    const reseller = rng.pick(RESELLERS);
    const year = rng.int(2023, 2025);
    out.push({
      id: `CUST-${String(10_001 + i)}`,
      name,
      awsAccountId: `${rng.int(1, 9)}${rng.digits(11)}`,
      azureTenantId: rng.guid(),
      gcpBillingAccount: `${rng.hex(6, true)}-${rng.hex(6, true)}-${rng.hex(6, true)}`,
      resellerId: reseller.id,
      resellerName: reseller.name,
      directAccount: `ACCT-${rng.digits(6)}`,
      agreements: {
        aws: `agmt-${rng.chars(25, LOWER_ALNUM)}`,
        azure: rng.guid(),
        gcp: rng.guid(),
        reseller: `RA-${year}-${rng.digits(5)}`,
        direct: `MSA-${year}-${rng.digits(4)}`,
      },
    });
  }
  return out;
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoSeconds = (ms: number): string => new Date(ms).toISOString();

interface Amounts {
  expected: number;
  actual: number;
  gross: number;
  quantity: number;
  unitPrice: number;
}

const FEE_TIERS_CHARGED = [300, 200, 150, 350, 250];
const TAX_RATES_CHARGED = [0, 600, 725, 825, 1000, 1900, 2000];

function pickOther(rng: Prng, values: readonly number[], not: number): number {
  for (;;) {
    const v = rng.pick(values);
    if (v !== not) return v;
  }
}

/** A uniform fraction in [lo, hi). */
function pct(rng: Prng, lo: number, hi: number): number {
  return lo + rng.next() * (hi - lo);
}

/** Rounds to the currency's granularity (cent, or whole yen), never to zero. */
function roundGran(x: number, gran: number): number {
  return Math.max(gran, Math.round(x / gran) * gran);
}

function usageAmounts(
  rng: Prng,
  type: ExceptionType,
  currency: Currency,
  unitPriceUsdMicros: number,
  usd: number,
): Amounts {
  const unitPrice = Math.max(1, Math.round(unitPriceUsdMicros * PER_USD[currency]));
  const quantity = Math.max(2, Math.round((usd * PER_USD[currency] * MICRO) / unitPrice));
  const expected = quantity * unitPrice;
  let actual: number;
  switch (type) {
    case 'metering_rejected': {
      const rejected = Math.min(quantity - 1, Math.max(1, Math.round(quantity * pct(rng, 0.1, 0.6))));
      actual = (rng.chance(0.5) ? 0 : quantity - rejected) * unitPrice;
      break;
    }
    case 'duplicate_metering':
      actual = (quantity + Math.max(1, Math.round(quantity * pct(rng, 0.02, 1)))) * unitPrice;
      break;
    case 'late_metering':
      actual =
        (quantity - Math.min(quantity - 1, Math.max(1, Math.round(quantity * pct(rng, 0.01, 0.3))))) *
        unitPrice;
      break;
    case 'rate_mismatch': {
      const delta = Math.max(1, Math.round(unitPrice * pct(rng, 0.05, 0.2)));
      actual = quantity * (rng.chance(0.6) ? unitPrice + delta : Math.max(1, unitPrice - delta));
      if (actual === expected) actual += quantity;
      break;
    }
    default: {
      const d = Math.min(quantity - 1, Math.max(1, Math.round(quantity * pct(rng, 0.01, 0.15))));
      actual = (rng.chance(0.7) ? quantity - d : quantity + d) * unitPrice;
    }
  }
  return { expected, actual, gross: expected, quantity, unitPrice };
}

/**
 * Picks plausible amounts for the type, all in integer micros, so every figure is exact. Floats
 * appear only in choosing a random magnitude, which is then rounded to an integer.
 */
function amountsFor(rng: Prng, type: ExceptionType, currency: Currency, unitPriceUsdMicros: number): Amounts {
  const gran = currency === 'JPY' ? MICRO : MICRO / 100;
  const usd = Math.exp(LOG_MIN_USD + rng.next() * (LOG_MAX_USD - LOG_MIN_USD));
  if (TYPE_RULES[type].group === 'usage') return usageAmounts(rng, type, currency, unitPriceUsdMicros, usd);
  const g = roundGran(usd * PER_USD[currency] * MICRO, gran);
  // g is a whole number of cents (or yen), so cents × basis points is an exact integer of micros.
  const cents = g / (MICRO / 100);
  let expected: number;
  let actual: number;
  let gross = g;
  switch (type) {
    case 'discount_not_applied': {
      const disc = rng.pick([5, 10, 15, 20, 25]);
      expected = g - roundGran((g * disc) / 100, gran);
      actual = g;
      break;
    }
    case 'listing_fee_mismatch': {
      const tier = rng.pick([300, 200, 150]);
      expected = cents * tier;
      actual = cents * pickOther(rng, FEE_TIERS_CHARGED, tier);
      break;
    }
    case 'credit_not_applied':
      expected = g - Math.min(g - gran, roundGran(g * pct(rng, 0.05, 0.3), gran));
      actual = g;
      break;
    case 'short_payment': {
      const short = rng.chance(0.4)
        ? roundGran(rng.pick([15, 25, 35, 50]) * PER_USD[currency] * MICRO, gran)
        : roundGran(g * pct(rng, 0.005, 0.12), gran);
      expected = g + short;
      actual = g;
      gross = g + short;
      break;
    }
    case 'disbursement_variance': {
      const net = g - cents * 300;
      const paid = rng.chance(0.1) ? 0 : net - roundGran(net * pct(rng, 0.002, 0.08), gran);
      expected = net;
      actual = paid === net ? net - gran : paid;
      break;
    }
    case 'refund_unmatched':
      expected = 0;
      actual = -roundGran(g * pct(rng, 0.05, 0.5), gran);
      break;
    case 'fx_variance': {
      const d = roundGran(g * pct(rng, 0.002, 0.03), gran);
      expected = g;
      actual = rng.chance(0.5) ? g - d : g + d;
      break;
    }
    case 'tax_variance': {
      const rate = rng.pick([600, 725, 825, 1000, 1900, 2000]);
      expected = cents * rate;
      actual = cents * pickOther(rng, TAX_RATES_CHARGED, rate);
      break;
    }
    case 'missing_invoice':
      expected = g;
      actual = 0;
      break;
    default:
      // unmapped_account / unmapped_sku: the partner billed it; nothing internal matches yet.
      expected = 0;
      actual = g;
  }
  return { expected, actual, gross, quantity: 0, unitPrice: 0 };
}

const LOG_MIN_USD = Math.log(50);
const LOG_MAX_USD = Math.log(80_000);

/**
 * Deterministic demo exceptions: same options, identical output. Pure; no I/O, no clock.
 * The first 21 records cover every type and every channel, so even a small demo set shows all.
 */
export function generateDemoExceptions(opts: DemoOptions): ExceptionRecord[] {
  const rng = new Prng(opts.seed);
  const now = Math.floor(opts.now.getTime() / 1000) * 1000;
  const assignees = opts.assigneeIds ?? DEMO_ASSIGNEE_IDS;
  const customers = makeCustomers(rng, 240);
  const awsProductCodes = PRODUCTS.map(() => rng.chars(25, LOWER_ALNUM));
  const awsPublicOffer = `offer-${rng.chars(13, LOWER_ALNUM)}`;
  const out: ExceptionRecord[] = new Array<ExceptionRecord>(opts.count);

  for (let i = 0; i < opts.count; i++) {
    let type: ExceptionType;
    let channel: Channel;
    if (i < EXCEPTION_TYPES.length) {
      type = EXCEPTION_TYPES[i] ?? 'usage_mismatch';
      const allowed = TYPE_RULES[type].channels;
      channel = allowed[i % allowed.length] ?? 'aws';
    } else if (i < EXCEPTION_TYPES.length + CHANNELS.length) {
      channel = CHANNELS[i - EXCEPTION_TYPES.length] ?? 'aws';
      const c = channel;
      type = rng.pick(EXCEPTION_TYPES.filter((t) => TYPE_RULES[t].channels.includes(c)));
    } else {
      type = TYPE_TABLE.pick(rng);
      channel = CHANNEL_TABLES[type].pick(rng);
    }
    const rule = TYPE_RULES[type];
    const customer = rng.pick(customers);
    const productIdx = rng.int(0, PRODUCTS.length - 1);
    const product = PRODUCTS[productIdx] ?? { sku: 'LD-API-PAYG', title: 'Inference API' };
    const dimension = rule.group === 'usage' ? rng.pick(DIMENSIONS) : null;

    const marketplace = channel === 'aws' || channel === 'azure' || channel === 'gcp';
    const isPrivateOffer = marketplace && (type === 'discount_not_applied' || rng.chance(0.4));
    let currency: Currency = 'USD';
    if (isPrivateOffer) currency = PRIVATE_OFFER_CURRENCY_TABLE.pick(rng);
    else if (channel === 'reseller') currency = RESELLER_CURRENCY[customer.resellerId] ?? 'USD';
    else if (channel === 'direct') currency = PRIVATE_OFFER_CURRENCY_TABLE.pick(rng);

    let partnerAccountId: string;
    let offerId: string | null = null;
    let productCode: string;
    let invoiceId: string;
    let payoutId: string;
    switch (channel) {
      case 'aws':
        partnerAccountId = customer.awsAccountId;
        offerId = isPrivateOffer ? `offer-${rng.chars(13, LOWER_ALNUM)}` : awsPublicOffer;
        productCode = awsProductCodes[productIdx] ?? 'unknown';
        invoiceId = rng.digits(10);
        payoutId = rng.digits(10);
        break;
      case 'azure':
        partnerAccountId = customer.azureTenantId;
        offerId = isPrivateOffer ? rng.guid() : 'ledgerdesk.inference-api';
        productCode = AZURE_PLANS[productIdx] ?? 'payg-standard';
        invoiceId = `G0${rng.digits(8)}`;
        payoutId = rng.digits(7);
        break;
      case 'gcp':
        partnerAccountId = customer.gcpBillingAccount;
        offerId = isPrivateOffer ? `private-offer-${rng.digits(12)}` : null;
        productCode = GCP_PLANS[productIdx] ?? 'inference-payg';
        invoiceId = rng.digits(10);
        payoutId = `PAYOUT-${rng.hex(10, true)}`;
        break;
      case 'reseller':
        partnerAccountId = customer.resellerId;
        offerId = rng.chance(0.3) ? `PL-${rng.int(2025, 2026)}-Q${rng.int(1, 4)}` : null;
        productCode = product.sku;
        invoiceId = `INV-${rng.int(2025, 2026)}-${rng.digits(6)}`;
        payoutId = '';
        break;
      default:
        partnerAccountId = customer.directAccount;
        productCode = product.sku;
        invoiceId = `INV-${rng.int(2025, 2026)}-${rng.digits(6)}`;
        payoutId = '';
    }
    if (type === 'unmapped_account')
      partnerAccountId = channel === 'aws' ? `${rng.int(1, 9)}${rng.digits(11)}` : partnerAccountId;
    if (type === 'unmapped_sku')
      productCode = channel === 'aws' ? rng.chars(25, LOWER_ALNUM) : `${productCode}-X${rng.digits(2)}`;

    const notInvoiced =
      type === 'metering_rejected' || type === 'late_metering' || type === 'missing_invoice';
    const partnerInvoiceId = notInvoiced ? null : invoiceId;
    const payout = rule.group === 'cash' && payoutId !== '' ? payoutId : null;

    // Age: most items are recent, a tail is months old (feeds the aging buckets).
    const ageBand = rng.next();
    const ageMs =
      ageBand < 0.55
        ? rng.int(1, 7 * 24) * HOUR
        : ageBand < 0.85
          ? rng.int(7 * 24, 45 * 24) * HOUR
          : rng.int(45 * 24, 150 * 24) * HOUR;
    const opened = now - ageMs - rng.int(0, 3599) * 1000;
    const openedDate = new Date(opened);
    const monthsBack = rng.int(1, 3);
    const periodStartMs = Date.UTC(openedDate.getUTCFullYear(), openedDate.getUTCMonth() - monthsBack, 1);
    const periodEndMs = Date.UTC(openedDate.getUTCFullYear(), openedDate.getUTCMonth() - monthsBack + 1, 0);

    const amounts = amountsFor(rng, type, currency, dimension?.unitPriceMicros ?? 0);
    const expected = { amount: unitsToDecimal(amounts.expected, SCALE), currency };
    const actual = { amount: unitsToDecimal(amounts.actual, SCALE), currency };

    const priority = PRIORITY_TABLE.pick(rng);
    const status = STATUS_TABLE.pick(rng);
    const assigneeId = NEEDS_ASSIGNEE.has(status) && assignees.length > 0 ? rng.pick(assignees) : null;
    const version = status === 'open' ? 1 : rng.int(2, 6);
    const updated =
      status === 'open' ? opened : opened + Math.floor((rng.next() * (now - opened)) / 1000) * 1000;

    const id = `EX-${String(i + 1).padStart(6, '0')}`;
    const ctx: RecordContext = {
      rng,
      id,
      type,
      channel,
      currency,
      customer,
      partnerAccountId,
      agreementId: customer.agreements[channel],
      offerId,
      isPrivateOffer,
      productCode,
      productTitle: product.title,
      dimension,
      quantity: amounts.quantity,
      unitPriceMicros: amounts.unitPrice,
      periodStart: isoDay(periodStartMs),
      periodEnd: isoDay(periodEndMs),
      invoiceDate: isoDay(periodEndMs + DAY),
      dueDate: isoDay(periodEndMs + 31 * DAY),
      openedAt: openedDate,
      partnerInvoiceId,
      payoutId: payout,
      expectedMicros: amounts.expected,
      actualMicros: amounts.actual,
      grossMicros: amounts.gross,
    };
    const sources = SOURCES[rule.group][channel];
    const evidenceCount = EVIDENCE_COUNT_TABLE.pick(rng);
    const evidence: Evidence[] = new Array<Evidence>(evidenceCount);
    for (let k = 0; k < evidenceCount; k++) {
      const source = k < sources.length ? sources[k] : rng.pick(sources);
      evidence[k] = buildEvidence(ctx, source ?? 'internal_invoice', k);
    }

    out[i] = {
      id,
      type,
      status,
      channel,
      partnerAccountId,
      customerId: customer.id,
      customerName: customer.name,
      agreementId: ctx.agreementId,
      offerId,
      productCode,
      dimension: dimension?.key ?? null,
      periodStart: ctx.periodStart,
      periodEnd: ctx.periodEnd,
      partnerInvoiceId,
      payoutId: payout,
      expected,
      actual,
      variance: subtract(actual, expected),
      evidence,
      priority,
      slaDueAt: isoSeconds(opened + (SLA_HOURS[priority] ?? 120) * HOUR),
      openedAt: isoSeconds(opened),
      updatedAt: isoSeconds(updated),
      assigneeId,
      version,
    };
  }
  return out;
}
