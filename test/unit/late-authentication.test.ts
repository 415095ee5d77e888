import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../server/src/auth/access-token';
import { refuseLateAuthentication, requireUser } from '../../server/src/auth/authenticate';

const tokens = new AccessTokens('a-test-secret-that-is-long-enough-for-hs256', 60);

describe('where a route authenticates', () => {
  it('refuses to register a route that authenticates after its body is validated', async () => {
    const app = Fastify();
    app.addHook('onRoute', refuseLateAuthentication);
    expect(() => app.post('/late', { preHandler: requireUser(tokens) }, async () => ({}))).toThrow(
      /requireUser must be an onRequest hook/,
    );
    expect(() => app.post('/early', { onRequest: requireUser(tokens) }, async () => ({}))).not.toThrow();
    await app.close();
  });
});
