import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSopFolder } from '../../server/src/features/sops/load-folder';
import {
  evaluateChecklist,
  moduleFor,
  needsApproval,
  resolutionProblems,
  type ChecklistException,
  type ChecklistInput,
} from '@shared/sop/engine';
import { sopModuleSchema, type Answers, type SopModule } from '@shared/sop/module';
import { makeException } from './fixtures/exception-factory';

/**
 * A small module written inline so each rule is visible next to the test that relies on it:
 * a check, a decision, a step shown only for one route, a step that depends on that step's
 * answer, and an input step with one field of every validated kind.
 */
const MODULE: SopModule = sopModuleSchema.parse({
  id: 'engine-spec',
  version: '1.0.0',
  title: 'Engine spec',
  summary: 'A module for the engine tests.',
  appliesTo: ['usage_mismatch'],
  steps: ['confirm', 'route', 'detail', 'follow-on', 'figures'],
  stepList: [
    { id: 'confirm', title: 'Confirm the sources', kind: 'check', confirm: 'Sources agree', body: '' },
    {
      id: 'route',
      title: 'Choose the route',
      kind: 'decision',
      body: '',
      fields: [
        {
          id: 'route',
          label: 'Route',
          type: 'select',
          options: [
            { value: 'inside', label: 'Inside' },
            { value: 'outside', label: 'Outside' },
          ],
        },
      ],
    },
    {
      id: 'detail',
      title: 'Detail for the inside route',
      kind: 'decision',
      body: '',
      when: { '==': [{ var: 'answers.route' }, 'inside'] },
      fields: [
        {
          id: 'detail',
          label: 'Detail',
          type: 'select',
          options: [
            { value: 'go', label: 'Go' },
            { value: 'stop', label: 'Stop' },
          ],
        },
      ],
    },
    {
      id: 'follow-on',
      title: 'Follow on from the detail',
      kind: 'action',
      confirm: 'Followed on',
      body: '',
      when: { '==': [{ var: 'answers.detail' }, 'go'] },
    },
    {
      id: 'figures',
      title: 'Record the figures',
      kind: 'input',
      body: '',
      when: { '==': [{ var: 'exception.channel' }, 'aws'] },
      fields: [
        { id: 'quantity', label: 'Quantity', type: 'number', min: '0', max: '1000', integer: true },
        { id: 'amount', label: 'Amount', type: 'money', min: '0' },
        { id: 'due', label: 'Due date', type: 'date', min: 'today', required: false },
        {
          id: 'proof',
          label: 'Proof',
          type: 'file',
          accept: ['application/pdf'],
          maxBytes: 1_000_000,
          required: false,
        },
        { id: 'note', label: 'Note', type: 'text', required: false, maxLength: 10 },
      ],
    },
  ],
  resolutions: [
    { code: '53', actions: ['remeter_request'], when: { '==': [{ var: 'answers.route' }, 'inside'] } },
    {
      code: 'METER_LATE_EXPIRED',
      actions: ['write_off'],
      when: { '==': [{ var: 'answers.route' }, 'outside'] },
    },
    { code: 'NEEDS_INVESTIGATION', actions: ['escalate'] },
  ],
  approvals: [{ action: 'write_off', above: { USD: '250', JPY: '37000' } }],
  exercises: [],
  exerciseList: [],
});

const exception = (overrides: Partial<ChecklistException> = {}): ChecklistException => {
  const { evidence: _evidence, ...record } = makeException(1, {
    type: 'usage_mismatch',
    channel: 'aws',
    variance: { amount: '-120.00', currency: 'USD' },
    ...overrides,
  });
  return record;
};

const input = (answers: Answers, overrides: Partial<ChecklistException> = {}): ChecklistInput => ({
  module: MODULE,
  exception: exception(overrides),
  answers,
  today: '2025-06-30',
});

const visible = (answers: Answers, overrides: Partial<ChecklistException> = {}): string[] =>
  evaluateChecklist(input(answers, overrides))
    .steps.filter((s) => s.visible)
    .map((s) => s.id);

const COMPLETE_AWS: Answers = {
  confirm: true,
  route: 'outside',
  quantity: '12',
  amount: { amount: '120.00', currency: 'USD' },
};

describe('SOP engine: which steps show', () => {
  it('shows unconditional steps and hides conditional ones until their condition holds', () => {
    expect(visible({}, { channel: 'azure' })).toEqual(['confirm', 'route']);
    expect(visible({ route: 'inside' }, { channel: 'azure' })).toEqual(['confirm', 'route', 'detail']);
    expect(visible({ route: 'inside', detail: 'go' }, { channel: 'azure' })).toEqual([
      'confirm',
      'route',
      'detail',
      'follow-on',
    ]);
  });

  it('shows a step that branches on the channel only for that channel', () => {
    expect(visible({}, { channel: 'aws' })).toContain('figures');
    expect(visible({}, { channel: 'gcp' })).not.toContain('figures');
  });

  it('does not let an answer left on a hidden step steer later steps', () => {
    // The operator chose inside, answered the detail, then changed the route to outside: the
    // detail step hides, and its stale "go" must not keep the follow-on step open.
    const state = evaluateChecklist(input({ ...COMPLETE_AWS, route: 'outside', detail: 'go' }));
    expect(state.steps.find((s) => s.id === 'detail')?.visible).toBe(false);
    expect(state.steps.find((s) => s.id === 'follow-on')?.visible).toBe(false);
    expect(state.complete).toBe(true);
  });

  it('offers only the resolutions whose conditions hold, reading only visible answers', () => {
    const codes = (answers: Answers): string[] =>
      evaluateChecklist(input(answers)).resolutions.map((r) => r.code);
    expect(codes({})).toEqual(['NEEDS_INVESTIGATION']);
    expect(codes({ route: 'inside' })).toEqual(['53', 'NEEDS_INVESTIGATION']);
    expect(codes({ route: 'outside' })).toEqual(['METER_LATE_EXPIRED', 'NEEDS_INVESTIGATION']);
  });
});

describe('SOP engine: what blocks the resolution', () => {
  it('is complete when every visible required step is done', () => {
    const state = evaluateChecklist(input(COMPLETE_AWS));
    expect(state.blockers).toEqual([]);
    expect(state.complete).toBe(true);
  });

  it('blocks on an unconfirmed check with a reason naming the step and its confirmation', () => {
    const state = evaluateChecklist(input({ ...COMPLETE_AWS, confirm: false }));
    expect(state.complete).toBe(false);
    expect(state.blockers).toEqual(['Step 1 "Confirm the sources": Sources agree: not confirmed']);
  });

  it('blocks on a missing required field, naming the step and the field', () => {
    const { quantity: _quantity, ...answers } = COMPLETE_AWS;
    expect(evaluateChecklist(input(answers)).blockers).toEqual([
      'Step 5 "Record the figures": Quantity: required',
    ]);
  });

  it('does not block on a required step that is hidden', () => {
    const { quantity: _q, amount: _a, ...answers } = COMPLETE_AWS;
    expect(evaluateChecklist(input(answers, { channel: 'direct' })).complete).toBe(true);
  });
});

describe('SOP engine: invalid answers are reported', () => {
  const problemsFor = (answers: Answers): string[] =>
    evaluateChecklist(input({ ...COMPLETE_AWS, ...answers }))
      .steps.flatMap((s) => s.problems)
      .filter((p) => p.kind === 'invalid')
      .map((p) => p.message);

  it('a number outside its bounds, or not whole when it must be', () => {
    expect(problemsFor({ quantity: '1000.5' })).toEqual(['Quantity: must be a whole number']);
    expect(problemsFor({ quantity: '1001' })).toEqual(['Quantity: must be at most 1000']);
    expect(problemsFor({ quantity: '-1' })).toEqual(['Quantity: must be at least 0']);
    expect(problemsFor({ quantity: '1e3' })).toEqual(['Quantity: expected a number such as 1250.5']);
  });

  it('money in another currency than the variance', () => {
    expect(problemsFor({ amount: { amount: '120.00', currency: 'EUR' } })).toEqual([
      'Amount: must be in USD',
    ]);
  });

  it('a date before today where the field says "not before today"', () => {
    expect(problemsFor({ due: '2025-06-29' })).toEqual(['Due date: must be on or after 2025-06-30']);
    expect(problemsFor({ due: '2025-06-30' })).toEqual([]);
    expect(problemsFor({ due: '30/06/2025' })).toEqual(['Due date: expected a date (YYYY-MM-DD)']);
  });

  it('a day that does not exist, even where Date.parse would roll it over', () => {
    expect(problemsFor({ due: '2025-07-31' })).toEqual([]);
    expect(problemsFor({ due: '2025-09-31' })).toEqual(['Due date: expected a date (YYYY-MM-DD)']);
    expect(problemsFor({ due: '2026-02-29' })).toEqual(['Due date: expected a date (YYYY-MM-DD)']);
    expect(problemsFor({ due: '2028-02-29' })).toEqual([]);
  });

  it('a select value outside its options', () => {
    expect(problemsFor({ route: 'sideways' })).toEqual(['Route: choose one of Inside, Outside']);
  });

  it('a file too big or of a type the field does not accept', () => {
    const file = (type: string, size: number) => [{ id: 'att-1', name: 'case.bin', type, size }];
    expect(problemsFor({ proof: file('application/pdf', 1_000_000) })).toEqual([]);
    expect(problemsFor({ proof: file('application/pdf', 1_000_001) })).toEqual([
      'Proof: case.bin is larger than 977 KB',
    ]);
    expect(problemsFor({ proof: file('application/x-msdownload', 10) })).toEqual([
      'Proof: case.bin: type application/x-msdownload is not accepted here',
    ]);
  });

  it('text longer than its limit', () => {
    expect(problemsFor({ note: 'eleven chars' })).toEqual(['Note: is longer than 10 characters']);
  });

  it('blocks the resolution on an invalid optional answer, too', () => {
    const state = evaluateChecklist(input({ ...COMPLETE_AWS, due: '2025-01-01' }));
    expect(state.complete).toBe(false);
    expect(state.blockers).toEqual(['Step 5 "Record the figures": Due date: must be on or after 2025-06-30']);
  });
});

describe('SOP engine: resolutionProblems', () => {
  it('accepts an offered code with one of its actions', () => {
    expect(
      resolutionProblems(input(COMPLETE_AWS), {
        code: 'METER_LATE_EXPIRED',
        action: 'write_off',
        amount: { amount: '-120.00', currency: 'USD' },
      }),
    ).toEqual([]);
  });

  it('refuses a code the module does not offer for these answers, listing the allowed ones', () => {
    expect(
      resolutionProblems(input(COMPLETE_AWS), { code: '53', action: 'remeter_request', amount: null }),
    ).toEqual([
      'Resolution code 53 is not allowed by SOP engine-spec 1.0.0 for this item and these answers (allowed: METER_LATE_EXPIRED, NEEDS_INVESTIGATION)',
    ]);
  });

  it('refuses an action the code does not allow', () => {
    expect(
      resolutionProblems(input(COMPLETE_AWS), {
        code: 'NEEDS_INVESTIGATION',
        action: 'no_action',
        amount: null,
      }),
    ).toEqual(['Action no_action is not allowed with code NEEDS_INVESTIGATION (allowed: escalate)']);
  });

  it('refuses an amount in another currency than the variance, and repeats the checklist blockers', () => {
    expect(
      resolutionProblems(input({ ...COMPLETE_AWS, confirm: false }), {
        code: 'METER_LATE_EXPIRED',
        action: 'write_off',
        amount: { amount: '-120.00', currency: 'GBP' },
      }),
    ).toEqual([
      'Step 1 "Confirm the sources": Sources agree: not confirmed',
      'The amount must be in USD, the currency of the variance',
    ]);
  });
});

describe('SOP engine: needsApproval', () => {
  const writeOff = (amount: string, currency: 'USD' | 'JPY' | 'EUR') => ({
    code: 'METER_LATE_EXPIRED' as const,
    action: 'write_off' as const,
    amount: { amount, currency },
  });

  it('needs a lead above the threshold in the amount currency, not at it', () => {
    expect(needsApproval(MODULE, writeOff('250', 'USD'))).toBe(false);
    expect(needsApproval(MODULE, writeOff('250.01', 'USD'))).toBe(true);
    expect(needsApproval(MODULE, writeOff('-250.01', 'USD'))).toBe(true);
  });

  it('reads the threshold of the amount currency', () => {
    expect(needsApproval(MODULE, writeOff('300', 'JPY'))).toBe(false);
    expect(needsApproval(MODULE, writeOff('37001', 'JPY'))).toBe(true);
  });

  it('always needs a lead for a currency the rule does not list, or a write-off without amount', () => {
    expect(needsApproval(MODULE, writeOff('1', 'EUR'))).toBe(true);
    expect(needsApproval(MODULE, { code: 'METER_LATE_EXPIRED', action: 'write_off', amount: null })).toBe(
      true,
    );
  });

  it('never needs a lead for an action without an approval rule', () => {
    expect(
      needsApproval(MODULE, {
        code: 'NEEDS_INVESTIGATION',
        action: 'escalate',
        amount: { amount: '1000000', currency: 'USD' },
      }),
    ).toBe(false);
  });
});

describe('SOP engine: moduleFor', () => {
  const m = (id: string, version: string, appliesTo: string[]) => ({ id, version, appliesTo }) as const;

  it('picks the newest version by semver, so 1.10.0 beats 1.9.0', () => {
    const modules = [
      m('a', '1.9.0', ['usage_mismatch']),
      m('b', '1.10.0', ['usage_mismatch']),
      m('c', '1.2.3', ['usage_mismatch']),
    ] as unknown as Pick<SopModule, 'appliesTo' | 'version'>[];
    expect(moduleFor(modules, 'usage_mismatch')?.version).toBe('1.10.0');
  });

  it('ignores modules for other types and returns null when none applies', () => {
    const modules = [
      m('a', '2.0.0', ['short_payment']),
      m('b', '1.0.0', ['usage_mismatch']),
    ] as unknown as Pick<SopModule, 'appliesTo' | 'version'>[];
    expect(moduleFor(modules, 'usage_mismatch')?.version).toBe('1.0.0');
    expect(moduleFor(modules, 'fx_variance')).toBeNull();
  });
});

describe('SOP engine: the shipped keyboard paths the end-to-end tests walk', () => {
  const { modules } = loadSopFolder(resolve('sops'));
  const run = (type: string, channel: ChecklistException['channel'], answers: Answers) => {
    const module = moduleFor(modules, type);
    if (!module) throw new Error(`no module for ${type}`);
    const item = exception({
      type: type as ChecklistException['type'],
      channel,
      variance: { amount: '-35.00', currency: 'EUR' },
    });
    return { module, state: evaluateChecklist({ module, exception: item, answers, today: '2025-06-30' }) };
  };
  const offers = (state: ReturnType<typeof evaluateChecklist>, code: string, action: string): boolean =>
    state.resolutions.some((r) => r.code === code && (r.actions as readonly string[]).includes(action));

  it('usage_mismatch: keys differ, root cause, then NEEDS_INVESTIGATION / escalate', () => {
    const { state } = run('usage_mismatch', 'azure', {
      'sources-match': 'keys-differ',
      'root-cause': 'dimension-map',
    });
    expect(state.blockers).toEqual([]);
    expect(offers(state, 'NEEDS_INVESTIGATION', 'escalate')).toBe(true);
  });

  it('short_payment (direct): matched, disputed lines, customer asked, invoice right, then 53 / partner_dispute', () => {
    const { state } = run('short_payment', 'direct', {
      'match-payment': true,
      'short-reason': 'disputed-lines',
      'customer-contact': true,
      'disputed-item': 'usage-quantity',
      'dispute-validity': 'invoice-right',
    });
    expect(state.blockers).toEqual([]);
    expect(offers(state, '53', 'partner_dispute')).toBe(true);
  });

  it('short_payment (reseller): the same path plus the margin check', () => {
    const answers = {
      'match-payment': true,
      'short-reason': 'disputed-lines',
      'customer-contact': true,
      'disputed-item': 'usage-quantity',
      'dispute-validity': 'invoice-right',
    };
    expect(run('short_payment', 'reseller', answers).state.blockers).toEqual([
      'Step 3 "Check the reseller\'s deduction against its margin": Margin deducted on the reseller statement: required',
    ]);
    expect(run('short_payment', 'reseller', { ...answers, 'margin-check': 'agreed' }).state.blockers).toEqual(
      [],
    );
  });

  it('unmapped_account: existing customer mapped with one id, match re-run, then MAPPING_ADDED / no_action', () => {
    const answers = {
      'identify-account': true,
      'match-result': 'existing-customer',
      'add-mapping': true,
      'internal-customer-id': 'CUST-10482',
      'match-evidence': 'private-offer',
      'rerun-match': true,
    };
    const { state } = run('unmapped_account', 'gcp', answers);
    expect(state.blockers).toEqual([]);
    expect(offers(state, 'MAPPING_ADDED', 'no_action')).toBe(true);
    // On AWS one more select: whose account it is (channel partner offers map the end customer).
    expect(run('unmapped_account', 'aws', answers).state.complete).toBe(false);
    expect(run('unmapped_account', 'aws', { ...answers, 'account-role': 'buyer' }).state.complete).toBe(true);
  });

  it('every shipped module offers escalate under a code with no condition', () => {
    for (const module of modules) {
      const always = module.resolutions.filter((r) => r.when === undefined && r.actions.includes('escalate'));
      expect(always.length, module.id).toBeGreaterThan(0);
    }
  });
});
