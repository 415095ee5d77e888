import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../server/src/auth/access-token';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const user = { id: 'u1', username: 'operator1', roles: ['operator' as const] };
const session = 'family-1';
const signedIn = { ...user, sessionId: session };

describe('access tokens', () => {
  it('answers a token it has verified before exactly as the first time, and not past its expiry', async () => {
    const tokens = new AccessTokens(SECRET, 1);
    const token = await tokens.issue(user, session);
    expect(await tokens.verify(token)).toEqual(signedIn);
    expect(await tokens.verify(token)).toEqual(signedIn); // served from the verified-token cache
    // exp is whole seconds: wait until it has surely passed.
    await new Promise((r) => setTimeout(r, 2100));
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token signed with another secret and one with a changed payload', async () => {
    const ours = new AccessTokens(SECRET, 60);
    const theirs = new AccessTokens(`${SECRET}-other`, 60);
    const token = await theirs.issue(user, session);
    expect(await ours.verify(token)).toBeNull();

    const good = await ours.issue(user, session);
    expect(await ours.verify(good)).toEqual(signedIn);
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    expect(await ours.verify(`${header}.${forged}.${signature}`)).toBeNull();
  });
});
