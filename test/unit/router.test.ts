import { describe, expect, it, vi } from 'vitest';
import { BridgeFailure } from '../../electron/services/bridge/bridge-failure';
import { createEventBus } from '../../electron/services/bridge/event-bus';
import { createRouter, type Handlers } from '../../electron/services/bridge/router';
import { EXCEPTION_STATUSES } from '@shared/exception-status';
import {
  CHANNEL_ACCESS,
  CHANNEL_NAMES,
  channels,
  kpisChannels,
  peopleChannels,
  qaChannels,
  reconChannels,
  sopsChannels,
} from '@shared/ipc/channels';
import { makeException } from './fixtures/exception-factory';

const status = {
  online: true,
  state: 'idle' as const,
  pending: 0,
  failed: 0,
  conflicts: 0,
  lastSyncAt: null,
  lastError: null,
  localExceptions: 0,
  clockSkewMs: null,
};

const draft = { sop: null, answers: {}, activeMs: 0, stepMs: {}, resolution: null, updatedAt: null };

const offline = async (): Promise<never> => {
  throw new BridgeFailure('offline', 'The server is not reachable.');
};
/**
 * The features that only ever answer from the server (this test has none): every channel of
 * theirs throws offline, built from their contracts so a new channel needs no line here.
 */
const ONLINE_ONLY = { ...kpisChannels, ...reconChannels, ...sopsChannels, ...peopleChannels, ...qaChannels };
const onlineOnly = Object.fromEntries(Object.keys(ONLINE_ONLY).map((name) => [name, offline])) as Record<
  keyof typeof ONLINE_ONLY,
  typeof offline
>;

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app.info': async () => ({
      version: '1.0.0',
      mode: 'browser',
      dataDir: '/tmp/x',
      defaultServerUrl: 'http://127.0.0.1:4780',
    }),
    'session.current': async () => null,
    'session.signIn': async () => {
      throw new BridgeFailure('unauthorized', 'The user name or password is not correct.');
    },
    'session.signOut': async () => ({ signedOut: true }),
    'queue.list': async (input) => ({ rows: [], total: input.offset }),
    'queue.counts': async () =>
      Object.fromEntries(EXCEPTION_STATUSES.map((s) => [s, 0])) as Record<
        (typeof EXCEPTION_STATUSES)[number],
        number
      >,
    'exception.get': async ({ id }) => makeException(Number(id.slice(3))),
    'exception.evidence': async ({ id }) => ({ evidence: makeException(Number(id.slice(3))).evidence }),
    'sync.status': async () => status,
    'sync.now': async () => status,
    'sync.outbox': async () => ({ items: [], total: 0 }),
    'sync.conflicts': async () => ({ items: [], total: 0 }),
    'sync.retryFailed': async () => ({ retried: 0 }),
    'work.next': async () => ({ item: null, remaining: 0 }),
    'work.leases': async () => ({ held: [], lost: [] }),
    'work.settings': async () => ({ prefetchCount: 25 }),
    'work.updateSettings': async (input) => input,
    'exception.start': async () => ({ mutationId: null, exception: null }),
    'exception.resolve': async () => ({ mutationId: null, exception: null }),
    'exception.skip': async () => ({ mutationId: null, exception: null }),
    'exception.related': async () => ({ rows: [] }),
    'exception.notes': async () => ({ notes: [], offline: false }),
    'exception.addNote': async () => ({ mutationId: '00000000-0000-4000-8000-000000000000' }),
    'checklist.get': async () => ({ module: null, draft }),
    'checklist.save': async () => draft,
    'sop.get': async () => ({ module: null }),
    'evidence.attach': async (input) => ({ id: 'att-1', name: input.name, type: 'text/plain', size: 1 }),
    'evidence.read': async () => {
      throw new BridgeFailure('not_found', 'That file is not on this computer.');
    },
    'approvals.list': async () => ({ approvals: [] }),
    'approvals.decide': async ({ id }) => {
      throw new BridgeFailure('not_found', `no approval ${id}`);
    },
    'exception.history': async () => ({ entries: [] }),
    'team.operators': async () => ({ operators: [] }),
    'team.reassign': async ({ exceptionIds }) => ({
      results: exceptionIds.map((exceptionId) => ({ exceptionId, ok: true, message: 'reassigned' })),
    }),
    'team.release': async ({ exceptionIds }) => ({
      results: exceptionIds.map((exceptionId) => ({ exceptionId, ok: true, message: 'back in the queue' })),
    }),
    ...onlineOnly,
    ...overrides,
  };
}

const signedIn = {
  user: { id: 'user-op1', username: 'operator1', displayName: 'Operator One', roles: ['operator' as const] },
  serverUrl: 'http://127.0.0.1:4780',
  signedInAt: '2026-12-07T08:00:00.000Z',
};
const gate = (session: typeof signedIn | null) => ({
  session: () => session,
  online: () => session !== null,
});
const quiet = { onInternalError: () => undefined, access: gate(signedIn) };

describe('bridge router', () => {
  it('answers a valid call with the handler value and applies schema defaults', async () => {
    const router = createRouter(handlers(), quiet);
    expect(await router.dispatch('app.info', {})).toEqual({
      ok: true,
      value: {
        version: '1.0.0',
        mode: 'browser',
        dataDir: '/tmp/x',
        defaultServerUrl: 'http://127.0.0.1:4780',
      },
    });
    // offset defaults to 0 and is echoed as total by the test handler
    expect(await router.dispatch('queue.list', {})).toEqual({ ok: true, value: { rows: [], total: 0 } });
  });

  it('rejects an unknown channel without running anything', async () => {
    const router = createRouter(handlers(), quiet);
    const result = await router.dispatch('queue.drop', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'unknown_channel', message: expect.stringContaining('queue.drop') },
    });
    expect(await router.dispatch('__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await router.dispatch('toString', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
  });

  it('reports invalid input with the path of each issue', async () => {
    const handler = vi.fn(async () => ({ rows: [], total: 0 }));
    const router = createRouter(handlers({ 'queue.list': handler }), quiet);
    const result = await router.dispatch('queue.list', { statuses: ['open', 'nope'], limit: 0 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.issues?.map((i) => i.path).sort()).toEqual(['limit', 'statuses.1']);
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports a missing field and an unexpected key', async () => {
    const router = createRouter(handlers(), quiet);
    const missing = await router.dispatch('session.signIn', { username: 'operator1' });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'password' }] },
    });
    const extra = await router.dispatch('app.info', { admin: true });
    expect(extra).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: '(input)', message: expect.stringContaining('admin') }],
      },
    });
    const notAnObject = await router.dispatch('sync.now', 'now please');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('reports a bad exception id precisely', async () => {
    const router = createRouter(handlers(), quiet);
    const result = await router.dispatch('exception.get', { id: 'DROP TABLE' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: 'id', message: 'expected an exception id such as "EX-000123"' }],
      },
    });
  });

  it('passes a BridgeFailure through as its code and message', async () => {
    const router = createRouter(handlers(), quiet);
    expect(await router.dispatch('session.signIn', { username: 'a', password: 'b' })).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'The user name or password is not correct.' },
    });
  });

  it('hides any other error behind `internal`, without message or stack', async () => {
    const seen: unknown[] = [];
    const router = createRouter(
      handlers({
        'sync.now': async () => {
          throw new Error('SQLITE_CORRUPT at /home/op/secret/path.sqlite');
        },
      }),
      { onInternalError: (_c, e) => seen.push(e), access: gate(signedIn) },
    );
    const result = await router.dispatch('sync.now', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String) } });
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|secret|at /);
    expect(seen).toHaveLength(1);
  });

  it('catches a handler answer that breaks its output schema when validating outputs', async () => {
    const broken = handlers({ 'sync.status': async () => ({ ...status, pending: -1 }) });
    expect(
      await createRouter(broken, { ...quiet, validateOutput: true }).dispatch('sync.status', {}),
    ).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    expect(
      await createRouter(broken, { ...quiet, validateOutput: false }).dispatch('sync.status', {}),
    ).toMatchObject({ ok: true });
  });
});

describe('channel access', () => {
  it('every channel declares who may call it', () => {
    for (const name of CHANNEL_NAMES) expect(CHANNEL_ACCESS, name).toContain(channels[name].access);
  });

  it('refuses a session channel when nobody is signed in, before its handler runs', async () => {
    const handler = vi.fn(async () => ({ rows: [], total: 0 }));
    const router = createRouter(handlers({ 'queue.list': handler }), { ...quiet, access: gate(null) });
    expect(await router.dispatch('queue.list', {})).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses an online channel without a server client, and lets `none` channels through', async () => {
    const router = createRouter(handlers(), {
      ...quiet,
      access: { session: () => signedIn, online: () => false },
    });
    expect(await router.dispatch('team.operators', {})).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    const signedOut = createRouter(handlers(), { ...quiet, access: gate(null) });
    expect(await signedOut.dispatch('sync.status', {})).toMatchObject({ ok: true });
  });

  it('hands the handler the signed-in session', async () => {
    const seen: unknown[] = [];
    const router = createRouter(
      handlers({
        'work.leases': async (_input, context) => {
          seen.push(context.session.user.id);
          return { held: [], lost: [] };
        },
      }),
      quiet,
    );
    expect(await router.dispatch('work.leases', {})).toMatchObject({ ok: true });
    expect(seen).toEqual(['user-op1']);
  });
});

describe('event bus', () => {
  it('delivers to named and catch-all listeners, and a throwing listener does not stop the others', () => {
    const bus = createEventBus(() => undefined);
    const all: string[] = [];
    const named: unknown[] = [];
    bus.subscribe(() => {
      throw new Error('closed window');
    });
    const offAll = bus.subscribe((event) => all.push(event));
    const offNamed = bus.on('queue.changed', (p) => named.push(p.reason));
    bus.emit('queue.changed', { reason: 'pulled' });
    bus.emit('sync.status', status);
    offAll();
    offNamed();
    bus.emit('queue.changed', { reason: 'signed_out' });
    expect(all).toEqual(['queue.changed', 'sync.status']);
    expect(named).toEqual(['pulled']);
  });
});
