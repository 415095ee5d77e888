/** The central API's paths the desktop calls (the HTTP contract map will replace this list). */
export const API_PATHS = {
  health: '/api/health',
  login: '/api/auth/login',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
  pull: '/api/sync/pull',
  push: '/api/sync/push',
  events: '/api/sync/events',
  next: '/api/work/next',
  renew: '/api/work/renew',
  release: '/api/work/release',
  reassign: '/api/work/reassign',
  users: '/api/users',
  exception: '/api/exceptions/',
  sops: '/api/sops',
  approvals: '/api/approvals',
  evidence: '/api/evidence/',
} as const;
