import { useCallback, useEffect, useState, type ReactNode } from 'react';
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
        <MappingForm
          id="recon-acc-h"
          title="Partner account → customer"
          channelLabel="Account channel"
          fields={ACCOUNT_FIELDS}
          value={account}
          onChange={setAccount}
          submitLabel="Save account mapping"
          onSubmit={() =>
            save(`the mapping of ${account.partnerAccount}`, () => call('recon.saveAccountMapping', account))
          }
        >
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
        </MappingForm>
        <MappingForm
          id="recon-sku-h"
          title="Partner product → SKU"
          channelLabel="Product channel"
          fields={SKU_FIELDS}
          value={sku}
          onChange={setSku}
          submitLabel="Save SKU mapping"
          onSubmit={() =>
            save(`the mapping of ${sku.partnerProduct}`, () => call('recon.saveSkuMapping', sku))
          }
        >
          <MappingTable
            label="SKU mappings"
            headers={['Channel', 'Product', 'Dimension', 'SKU']}
            rows={skus.map((m) => [m.channel, m.partnerProduct, m.partnerDimension || 'any', m.sku])}
          />
        </MappingForm>
      </div>
    </section>
  );
}

interface FieldSpec<K extends string> {
  key: K;
  label: string;
  placeholder: string;
}
const ACCOUNT_FIELDS: FieldSpec<'partnerAccount' | 'customerId' | 'customerName'>[] = [
  { key: 'partnerAccount', label: 'Partner account', placeholder: 'Partner account' },
  { key: 'customerId', label: 'Customer id', placeholder: 'Customer id' },
  { key: 'customerName', label: 'Customer name', placeholder: 'Customer name' },
];
const SKU_FIELDS: FieldSpec<'partnerProduct' | 'partnerDimension' | 'sku'>[] = [
  { key: 'partnerProduct', label: 'Partner product', placeholder: 'Partner product' },
  { key: 'partnerDimension', label: 'Dimension (empty: every dimension)', placeholder: 'Dimension (any)' },
  { key: 'sku', label: 'SKU', placeholder: 'SKU' },
];

/** One mapping table's form: its channel, its text fields, save; the table of what is mapped below. */
function MappingForm<K extends string, V extends { channel: Channel } & Record<K, string>>(props: {
  id: string;
  title: string;
  channelLabel: string;
  fields: FieldSpec<K>[];
  value: V;
  onChange: (value: V) => void;
  submitLabel: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const { id, value, onChange } = props;
  return (
    <form
      aria-labelledby={id}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <H3 id={id} className="ld-section-h">
        {props.title}
      </H3>
      <div className="ld-recon-row">
        <HTMLSelect
          aria-label={props.channelLabel}
          value={value.channel}
          options={CHANNEL_OPTIONS}
          onChange={(e) => onChange({ ...value, channel: e.currentTarget.value as Channel })}
        />
        {props.fields.map((f) => (
          <InputGroup
            key={f.key}
            aria-label={f.label}
            placeholder={f.placeholder}
            value={value[f.key]}
            onValueChange={(v) => onChange({ ...value, [f.key]: v })}
          />
        ))}
        <Button type="submit">{props.submitLabel}</Button>
      </div>
      {props.children}
    </form>
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
