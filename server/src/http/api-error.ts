import type { ApiError } from '@shared/api/errors';

type ErrorCode = ApiError['error'];

/** Thrown by handlers; the error handler turns it into the shared error body. */
export class ApiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiError['issues'],
    /** Sent as Retry-After (seconds) with a 429 or 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiHttpError';
  }
}

export const unauthorized = (message = 'missing or invalid access token'): ApiHttpError =>
  new ApiHttpError(401, 'unauthorized', message);

export const forbidden = (message: string): ApiHttpError => new ApiHttpError(403, 'forbidden', message);

export const notFound = (message: string): ApiHttpError => new ApiHttpError(404, 'not_found', message);

export const conflict = (message: string): ApiHttpError => new ApiHttpError(409, 'conflict', message);

export const invalidRequest = (message: string): ApiHttpError =>
  new ApiHttpError(400, 'invalid_request', message);

export const tooManyRequests = (message: string, retryAfterSeconds: number): ApiHttpError =>
  new ApiHttpError(429, 'rate_limited', message, undefined, retryAfterSeconds);

/** A 400 naming the one field at fault (`body.items.2.id`), for checks zod cannot make alone. */
export const invalidField = (path: string, message: string): ApiHttpError =>
  new ApiHttpError(400, 'invalid_request', `${path}: ${message}`, [{ path, message }]);
