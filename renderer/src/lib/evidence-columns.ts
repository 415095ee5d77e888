/** Words a partner writes in capitals or as a symbol, whatever case its column name uses. */
const SPECIAL: Readonly<Record<string, string>> = {
  id: 'ID',
  ids: 'IDs',
  usd: 'USD',
  sku: 'SKU',
  tcv: 'TCV',
  aws: 'AWS',
  gcp: 'GCP',
  us: 'US',
  pct: '%',
  fx: 'FX',
};

/**
 * A partner's column name as words a person reads: "billing_event_id" -> "Billing event ID",
 * "earningAmountUSD" -> "Earning amount USD". Names that already have spaces are the partner's
 * own headings ("Customer Billed Amount") and stay as they are.
 */
export function readableHeader(name: string): string {
  if (/\s/.test(name.trim())) return name.trim();
  const words = name
    .replace(/_/g, ' ')
    // "AWSRefFee" -> "AWS Ref Fee", "paymentID" -> "payment ID", "earningAmountUSD" -> "earning Amount USD"
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/\s+/)
    .filter(Boolean);
  return words
    .map((w, i) => {
      const special = SPECIAL[w.toLowerCase()];
      if (special) return special;
      if (w.length > 1 && w === w.toUpperCase()) return w; // an acronym the partner wrote: AWS, ID
      const lower = w.toLowerCase();
      return i === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(' ');
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
// Quantities, FX rates, percentages and ids are numbers but not amounts of money. A contract
// rate or unit price is money per unit: shown with its currency at full precision.
const NOT_MONEY = /(pct|percent|quantity|qty|number|count|units|exchange|dimension)/i;
const IDENTIFIER = /(Id|ID|_id)$|^id$/;
const MONEY_WORD =
  /(amount|fee|rev|refund|cost|total|tax|net|payment|due$|charges|margin|price|rate|credit|gross|paid|disbursed|tcv|value)/i;

/** Whether a column holds money: its name says so and every value is a decimal. */
export function isMoneyColumn(name: string, values: readonly string[]): boolean {
  if (IDENTIFIER.test(name.trim()) || NOT_MONEY.test(name.replace(/[_ ]/g, ''))) return false;
  if (!MONEY_WORD.test(name)) return false;
  const present = values.filter((v) => v !== '');
  return present.length > 0 && present.every((v) => DECIMAL.test(v));
}

/** Whether every value is a plain decimal (quantities, rates): right-aligned like money. */
export function isNumericColumn(values: readonly string[]): boolean {
  const present = values.filter((v) => v !== '');
  return present.length > 0 && present.every((v) => DECIMAL.test(v));
}

/** The row's currency, from its own Currency column (any spelling), if it has one. */
export function rowCurrency(fields: Readonly<Record<string, string>>): string | null {
  for (const [k, v] of Object.entries(fields)) {
    if (/^currency$/i.test(k.replace(/[_ ]/g, '')) && /^[A-Z]{3}$/.test(v)) return v;
  }
  return null;
}
