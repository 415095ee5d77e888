import { useCallback, useEffect, useState } from 'react';
import { Button, Callout, H2, H3, HTMLSelect, HTMLTable, InputGroup } from '@blueprintjs/core';
import { MAPPED_CHANNELS, type AccountMapping, type SkuMapping } from '@shared/api/recon';
import { call, describeError } from '../../bridge';
import { formatDateTime } from '../../lib/format';

type Channel = (typeof MAPPED_CHANNELS)[number];
const CHANNEL_OPTIONS = MAPPED_CHANNELS.map((c) => ({ value: c, label: c.toUpperCase() }));

/**
 * The maps a lead keeps: partner account -> customer, partner product (and dimension) -> SKU.
 * Saving the same partner id again changes it; every change is audited on the server. A run
 * after the change closes the unmapped exceptions it answers.
 */
export function MappingsPanel() {
  const [accounts, setAccounts] = useState<AccountMapping[]>([]);
  const [skus, setSkus] = useState<SkuMapping[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const load = useCallback(() => {
    Promise.all([call('recon.accountMappings', {}), call('recon.skuMappings', {})])
      .then(([a, s]) => {
        setAccounts(a.mappings);
        setSkus(s.mappings);
      })
      .catch((e: unknown) => setMessage({ ok: false, text: describeError(e) }));
  }, []);
  useEffect(load, [load]);

  const [account, setAccount] = useState({
    channel: 'aws' as Channel,
    partnerAccount: '',
    customerId: '',
    customerName: '',
  });
  const [sku, setSku] = useState({
    channel: 'aws' as Channel,
    partnerProduct: '',
    partnerDimension: '',
    sku: '',
  });
  const save = (what: string, act: () => Promise<{ created: boolean }>) => {
    act()
      .then((r) => {
        setMessage({
          ok: true,
          text: `${r.created ? 'Added' : 'Changed'} ${what}. Run the month again to apply it.`,
        });
        load();
      })
      .catch((e: unknown) => setMessage({ ok: false, text: describeError(e) }));
  };

  return (
    <section className="ld-recon-panel" aria-labelledby="recon-maps-h">
      <H2 id="recon-maps-h" className="ld-section-h">
        Mappings
      </H2>
      <div role="status" aria-live="polite" data-testid="recon-mapping-status">
        {message && (
          <Callout compact intent={message.ok ? 'success' : 'danger'}>
            {message.text}
          </Callout>
        )}
      </div>
      <div className="ld-recon-top">
        <form
          aria-labelledby="recon-acc-h"
          onSubmit={(e) => {
            e.preventDefault();
            save(`the mapping of ${account.partnerAccount}`, () => call('recon.saveAccountMapping', account));
          }}
        >
          <H3 id="recon-acc-h" className="ld-section-h">
            Partner account → customer
          </H3>
          <div className="ld-recon-row">
            <HTMLSelect
              aria-label="Account channel"
              value={account.channel}
              options={CHANNEL_OPTIONS}
              onChange={(e) => setAccount({ ...account, channel: e.currentTarget.value as Channel })}
            />
            <InputGroup
              aria-label="Partner account"
              placeholder="Partner account"
              value={account.partnerAccount}
              onValueChange={(v) => setAccount({ ...account, partnerAccount: v })}
            />
            <InputGroup
              aria-label="Customer id"
              placeholder="Customer id"
              value={account.customerId}
              onValueChange={(v) => setAccount({ ...account, customerId: v })}
            />
            <InputGroup
              aria-label="Customer name"
              placeholder="Customer name"
              value={account.customerName}
              onValueChange={(v) => setAccount({ ...account, customerName: v })}
            />
            <Button type="submit">Save account mapping</Button>
          </div>
          <MappingTable
            label="Account mappings"
            headers={['Channel', 'Partner account', 'Customer', 'Changed']}
            rows={accounts.map((m) => [
              m.channel,
              m.partnerAccount,
              `${m.customerName} (${m.customerId})`,
              `${formatDateTime(m.updatedAt)} by ${m.updatedBy}`,
            ])}
          />
        </form>
        <form
          aria-labelledby="recon-sku-h"
          onSubmit={(e) => {
            e.preventDefault();
            save(`the mapping of ${sku.partnerProduct}`, () => call('recon.saveSkuMapping', sku));
          }}
        >
          <H3 id="recon-sku-h" className="ld-section-h">
            Partner product → SKU
          </H3>
          <div className="ld-recon-row">
            <HTMLSelect
              aria-label="Product channel"
              value={sku.channel}
              options={CHANNEL_OPTIONS}
              onChange={(e) => setSku({ ...sku, channel: e.currentTarget.value as Channel })}
            />
            <InputGroup
              aria-label="Partner product"
              placeholder="Partner product"
              value={sku.partnerProduct}
              onValueChange={(v) => setSku({ ...sku, partnerProduct: v })}
            />
            <InputGroup
              aria-label="Dimension (empty: every dimension)"
              placeholder="Dimension (any)"
              value={sku.partnerDimension}
              onValueChange={(v) => setSku({ ...sku, partnerDimension: v })}
            />
            <InputGroup
              aria-label="SKU"
              placeholder="SKU"
              value={sku.sku}
              onValueChange={(v) => setSku({ ...sku, sku: v })}
            />
            <Button type="submit">Save SKU mapping</Button>
          </div>
          <MappingTable
            label="SKU mappings"
            headers={['Channel', 'Product', 'Dimension', 'SKU']}
            rows={skus.map((m) => [m.channel, m.partnerProduct, m.partnerDimension || 'any', m.sku])}
          />
        </form>
      </div>
    </section>
  );
}

function MappingTable({ label, headers, rows }: { label: string; headers: string[]; rows: string[][] }) {
  if (rows.length === 0) return <p className="ld-small ld-muted">No {label.toLowerCase()} yet.</p>;
  return (
    <div className="ld-recon-scroll" tabIndex={0} role="region" aria-label={`${label}, scrollable`}>
      <HTMLTable compact striped aria-label={label}>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.join('|')}>
              {r.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </HTMLTable>
    </div>
  );
}
