import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/src/config';
import { chargeAttempt, type ThrottleState } from '../../server/src/features/auth/login-throttle';
import { addressKey } from '../../server/src/http/client-address';

const policy = defaultConfig().loginThrottle;
const t0 = new Date('2026-12-01T08:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

function run(
  n: number,
  start: ThrottleState | null,
  limit = policy.accountLimit,
  when = t0,
): ThrottleState | null {
  let state = start;
  for (let i = 0; i < n; i++) state = chargeAttempt(state, limit, policy, when).state;
  return state;
}

describe('sign-in throttle counting', () => {
  it('locks on the attempt after the limit, and a locked counter refuses without counting', () => {
    const twenty = run(20, null);
    expect(twenty?.failures).toBe(20);
    const over = chargeAttempt(twenty, policy.accountLimit, policy, t0);
    expect(over.lockedNow).toBe(true);
    expect(over.refusedUntil).toEqual(at(60_000));
    const during = chargeAttempt(over.state, policy.accountLimit, policy, at(30_000));
    expect(during).toEqual({ state: over.state, refusedUntil: at(60_000), lockedNow: false });
  });

  it('starts a new window once the old one has passed', () => {
    const nineteen = run(19, null);
    const later = chargeAttempt(nineteen, policy.accountLimit, policy, at(60_000));
    expect(later.state.failures).toBe(1);
    expect(later.refusedUntil).toBeNull();
  });

  it('doubles each lockout up to the maximum, and forgets lockouts a day old', () => {
    let state: ThrottleState | null = null;
    let when = t0;
    const lengths: number[] = [];
    for (let i = 0; i < 6; i++) {
      state = run(20, state, policy.accountLimit, when);
      const step = chargeAttempt(state, policy.accountLimit, policy, when);
      lengths.push(((step.refusedUntil?.getTime() ?? 0) - when.getTime()) / 1000);
      state = step.state;
      when = new Date((step.refusedUntil?.getTime() ?? 0) + 1000);
    }
    expect(lengths).toEqual([60, 120, 240, 480, 900, 900]);
    const dayLater = new Date(when.getTime() + 24 * 3600 * 1000);
    const fresh = chargeAttempt(
      run(20, state, policy.accountLimit, dayLater),
      policy.accountLimit,
      policy,
      dayLater,
    );
    expect(((fresh.refusedUntil?.getTime() ?? 0) - dayLater.getTime()) / 1000).toBe(60);
  });
});

describe('client address keys', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and counts IPv6 by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
  });
});
