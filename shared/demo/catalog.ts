import type { Currency } from '../money';

/** Invented customer names; any resemblance to a real company is accidental. */
export const CUSTOMER_NAMES: readonly string[] = [
  'Northwind Analytics',
  'Bluefin Logistics',
  'Quartzline Health',
  'Harbor & Vale Insurance',
  'Copperleaf Retail',
  'Meridian Freight',
  'Tidewater Energy',
  'Sablecrest Media',
  'Orchard Street Bank',
  'Kestrel Robotics',
  'Lumen Fields Pharma',
  'Granite Peak Software',
  'Alder & Finch Legal',
  'Brightwater Telecom',
  'Ironbark Mining',
  'Silverpine Games',
  'Redwood Claims Services',
  'Cobalt Ridge Capital',
  'Palisade Travel',
  'Westmarch Foods',
  'Halcyon Biotech',
  'Foxglove Fashion',
  'Summit Ledger Partners',
  'Nimbus Ed-Tech',
  'Evergreen Utilities',
  'Starling Payments',
  'Driftwood Hospitality',
  'Obsidian Security',
  'Marigold Consumer Goods',
  'Pinecone Research',
  'Beacon Hill Realty',
  'Juniper Mobility',
  'Canopy Agritech',
  'Vantage Point Advertising',
  'Windrose Shipping',
  'Aurora Clinical Labs',
  'Thistle & Crown Publishing',
  'Riverbend Manufacturing',
  'Saffron Digital',
  'Keystone Civic Data',
  'Larkspur Semiconductors',
  'Moonstone Wealth',
  'Blackthorn Aerospace',
  'Helix Genomics',
  'Tamarind Telehealth',
  'Cedar Court Hotels',
  'Bramble Home Services',
  'Zephyr Wind Power',
  'Oakmont Credit Union',
  'Pelican Bay Seafood',
  'Fjordline Ferries',
  'Sunridge Solar',
  'Ashgrove Schools Trust',
  'Nightjar Studios',
  'Gullwing Motors',
  'Riverstone Mutual',
  'Quillfeather Translation',
  'Stormglass Weather',
  'Bellweather Polling',
  'Greywater Engineering',
];

export const RESELLERS: readonly { id: string; name: string }[] = [
  { id: 'RSL-00117', name: 'Crestline Cloud Partners' },
  { id: 'RSL-00204', name: 'Anvil Systems Integration' },
  { id: 'RSL-00321', name: 'Pacific Rim Distribution' },
  { id: 'RSL-00458', name: 'Eurocloud Solutions GmbH' },
  { id: 'RSL-00563', name: 'Southern Cross IT' },
  { id: 'RSL-00690', name: 'Maple Data Resellers' },
  { id: 'RSL-00742', name: 'Kanto Cloud KK' },
  { id: 'RSL-00815', name: 'Thames Valley Technology' },
];

export interface Dimension {
  /** The dimension / metric key as metered to the partner. */
  key: string;
  /** Price per unit in 10^-6 of the currency's major unit, for USD; scaled for others. */
  unitPriceMicros: number;
  unit: string;
}

export const DIMENSIONS: readonly Dimension[] = [
  { key: 'input_tokens_1m', unitPriceMicros: 2_500_000, unit: '1M input tokens' },
  { key: 'output_tokens_1m', unitPriceMicros: 10_000_000, unit: '1M output tokens' },
  { key: 'cached_input_tokens_1m', unitPriceMicros: 1_250_000, unit: '1M cached input tokens' },
  { key: 'batch_requests_1k', unitPriceMicros: 375_000, unit: '1k batch requests' },
  { key: 'embedding_tokens_1m', unitPriceMicros: 20_000, unit: '1M embedding tokens' },
  { key: 'fine_tune_training_hours', unitPriceMicros: 24_000_000, unit: 'training hour' },
];

export const PRODUCTS: readonly { sku: string; title: string }[] = [
  { sku: 'LD-API-PAYG', title: 'Inference API (pay as you go)' },
  { sku: 'LD-API-ENT', title: 'Inference API Enterprise' },
  { sku: 'LD-API-BATCH', title: 'Batch Inference API' },
  { sku: 'LD-EMBED', title: 'Embeddings API' },
  { sku: 'LD-FT', title: 'Fine-tuning Service' },
];

/** Rough major-unit value of 1 USD, used only to keep demo magnitudes plausible per currency. */
export const PER_USD: Readonly<Record<Currency, number>> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  AUD: 1.52,
  JPY: 150,
  CAD: 1.36,
  INR: 83,
};

/** FX rates to USD as exact decimal strings (earningExchangeRate). */
export const FX_TO_USD: Readonly<Record<Currency, string>> = {
  USD: '1',
  EUR: '1.0870',
  GBP: '1.2658',
  AUD: '0.6579',
  JPY: '0.006667',
  CAD: '0.7353',
  INR: '0.012048',
};
