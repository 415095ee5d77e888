import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { formatByName } from '@shared/ingest/format-registry';
import type { FormatSpec } from '@shared/ingest/format-spec';

/**
 * The bench's input files, written straight to disk a chunk at a time (the generator must not
 * weigh on the peak RSS the bench measures): N internal usage lines and N AWS metering lines
 * over N/20 customers, every 50th customer's first line 100 tokens short on the partner side;
 * a rate card and one invoice per customer. No value needs CSV quoting.
 */

const at = (i: number): string => new Date(Date.UTC(2026, 2, 1) + (i % 600) * 3_600_000).toISOString();

function writeCsv(
  path: string,
  format: string,
  count: number,
  row: (i: number) => Record<string, string>,
): void {
  const spec = formatByName(format) as FormatSpec;
  const headers = spec.columns.map((c) => c.header);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${headers.join(',')}\n`);
    let out = '';
    for (let i = 0; i < count; i++) {
      const r = row(i);
      out += `${headers.map((h) => r[h] ?? '').join(',')}\n`;
      if (out.length > 1 << 20) {
        writeSync(fd, out);
        out = '';
      }
    }
    writeSync(fd, out);
  } finally {
    closeSync(fd);
  }
}

export interface BenchFiles {
  customers: number;
  /** Customers whose usage the partner under-reports (the exceptions a run opens). */
  short: number;
  paths: string[];
}

export function writeBenchFiles(dir: string, rows: number): BenchFiles {
  const customers = Math.max(1, Math.floor(rows / 20));
  const customer = (i: number): number => i % customers;
  const paths = ['internal-usage', 'aws-metering', 'rate-cards', 'internal-invoices'].map((n) =>
    join(dir, `${n}.csv`),
  );
  writeCsv(paths[0] as string, 'internal-usage', rows, (i) => ({
    usage_id: `U-${i}`,
    customer_id: `CUST-${customer(i)}`,
    sku: 'SKU-LLM',
    dimension: 'tokens',
    usage_start: at(i),
    usage_end: at(i + 1),
    quantity: '1000.25',
  }));
  writeCsv(paths[1] as string, 'aws-metering', rows, (i) => {
    const c = customer(i);
    return {
      MeteringRecordId: `M-${i}`,
      ProductCode: 'prod-llm',
      Timestamp: at(i),
      CustomerAWSAccountId: `ACC-${c}`,
      Dimension: 'tokens',
      Quantity: c % 50 === 0 && i < customers ? '900.25' : '1000.25',
      Status: 'Success',
    };
  });
  writeCsv(paths[2] as string, 'rate-cards', customers, (c) => ({
    contract_id: `CON-${c}`,
    customer_id: `CUST-${c}`,
    sku: 'SKU-LLM',
    unit_price: '0.002',
    currency: 'USD',
    effective_from: '2026-01-01',
    rounding_mode: 'half_up',
    total_rule: 'round_sum',
  }));
  // 20 lines of 1000.25 tokens at 0.002 a customer: 40.01.
  writeCsv(paths[3] as string, 'internal-invoices', customers, (c) => ({
    invoice_id: `INV-${c}`,
    line_id: `L-${c}`,
    customer_id: `CUST-${c}`,
    invoice_date: '2026-03-31',
    sku: 'SKU-LLM',
    quantity: '20005',
    unit_price: '0.002',
    line_amount: '40.01',
    currency: 'USD',
    invoice_total: '40.01',
  }));
  return { customers, short: Math.ceil(customers / 50), paths };
}

/** An AWS metering workbook of `rows` lines (the first sheet), for the xlsx import figure. */
export function meteringXlsx(rows: number): Uint8Array {
  const spec = formatByName('aws-metering') as FormatSpec;
  const aoa: Array<Array<string | number>> = [spec.columns.map((c) => c.header)];
  for (let i = 0; i < rows; i++)
    aoa.push([`X-${i}`, 'prod-llm', at(i), `ACC-${i % 1000}`, 'tokens', 1000.25, 'Success']);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), 'Report');
  return new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}
