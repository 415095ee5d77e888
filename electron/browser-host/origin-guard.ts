/**
 * The host listens on loopback only, but any web page the operator opens can still send
 * requests to 127.0.0.1. A browser always names the page's origin on cross-origin requests,
 * POSTs and WebSocket handshakes, so a present Origin that is not ours is refused; the Host
 * header check stops DNS-rebinding pages (their Host is their own name, not ours).
 */
export function allowedOrigins(host: string, port: number): Set<string> {
  const names = new Set([host]);
  if (host === '127.0.0.1' || host === 'localhost') {
    names.add('127.0.0.1');
    names.add('localhost');
  }
  return new Set([...names].map((n) => `http://${n}:${port}`));
}

export function isAllowedRequest(
  headers: { origin?: string | undefined; host?: string | undefined },
  origins: Set<string>,
): boolean {
  if (headers.origin !== undefined && !origins.has(headers.origin)) return false;
  if (headers.host !== undefined && !origins.has(`http://${headers.host}`)) return false;
  return true;
}
