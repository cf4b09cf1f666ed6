import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { TLogger } from '../logger.ts';
import type { TAppEnv } from './types.ts';

export const errorBody = (error: AppError) => ({
  error: {
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  },
});

const fromHttpException = (error: HTTPException): AppError => {
  if (error.status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (error.status === 400 && /json/i.test(error.message)) return new AppError('MALFORMED_JSON');
  if (error.status === 401) return new AppError('UNAUTHENTICATED');
  if (error.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (error.status >= 400 && error.status < 500) return new AppError('BAD_REQUEST', error.message);
  return new AppError('INTERNAL');
};

/** Turns any thrown error into the API's error shape; only unknown errors become 500, and they are logged. */
export const createErrorHandler =
  (logger: TLogger) =>
  (error: Error, c: Context<TAppEnv>): Response => {
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (error instanceof HTTPException) appError = fromHttpException(error);
    else if (error instanceof SyntaxError) appError = new AppError('MALFORMED_JSON');
    else {
      logger.error({ err: error, requestId: c.get('requestId') }, 'unhandled error');
      appError = new AppError('INTERNAL');
    }
    return c.json(errorBody(appError), appError.status as ContentfulStatusCode);
  };

export const validationError = (error: ZodError): AppError =>
  new AppError(
    'VALIDATION_FAILED',
    `Invalid ${error.issues[0]?.path.join('.') || 'input'}: ${error.issues[0]?.message ?? 'bad value'}`,
    error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
