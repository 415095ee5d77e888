import { BridgeFailure } from '../bridge/bridge-failure';
import { ServerError } from './server-client';

/** Turns a server-call failure into what the renderer shows; other errors pass through. */
export function toBridgeFailure(err: unknown, context: 'sign_in' | 'call' = 'call'): unknown {
  if (!(err instanceof ServerError)) return err;
  switch (err.kind) {
    case 'offline':
    case 'timeout':
      return new BridgeFailure('offline', err.message);
    case 'unauthorized':
      return new BridgeFailure(
        'unauthorized',
        context === 'sign_in' ? 'The user name or password is not correct.' : err.message,
      );
    case 'rejected':
      if (err.status === 409) return new BridgeFailure('conflict', err.message);
      if (err.status === 404) return new BridgeFailure('not_found', err.message);
      if (err.status === 403) return new BridgeFailure('unauthorized', err.message);
      return new BridgeFailure('server_error', err.message);
    case 'server':
    case 'update_required':
      return new BridgeFailure('server_error', err.message);
  }
}
