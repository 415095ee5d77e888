import type { ApiError } from '../../../shared/api/errors';

type ErrorCode = ApiError['error'];

/** Thrown by handlers; the error handler turns it into the shared error body. */
export class ApiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiError['issues'],
  ) {
    super(message);
    this.name = 'ApiHttpError';
  }
}

export const unauthorized = (message = 'missing or invalid access token'): ApiHttpError =>
  new ApiHttpError(401, 'unauthorized', message);

export const notFound = (message: string): ApiHttpError => new ApiHttpError(404, 'not_found', message);
