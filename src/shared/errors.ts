/** Every error code the API can answer with, and the HTTP status it maps to. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  GROUP_NOT_FOUND: 404,
  BOOKING_NOT_FOUND: 404,
  TOUR_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  VIEW_NOT_FOUND: 404,
  QUARANTINE_NOT_FOUND: 404,
  MAILBOX_NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  EMAIL_TAKEN: 409,
  IDENTITY_TAKEN: 409,
  GROUP_NAME_TAKEN: 409,
  QUARANTINE_RESOLVED: 409,
  MAILBOX_ADDRESS_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_STATUS_TRANSITION: 422,
  TICKET_CLOSED: 422,
  TICKET_MERGED: 422,
  INVALID_MERGE: 422,
  INVALID_LINK: 422,
  VIEW_LIMIT_REACHED: 422,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

const DEFAULT_MESSAGES: Partial<Record<TErrorCode, string>> = {
  UNAUTHENTICATED: 'Authentication required',
  INVALID_CREDENTIALS: 'Wrong email or password',
  FORBIDDEN: 'You do not have permission to do this',
  CSRF_FAILED: 'Missing or wrong X-CSRF-Token header',
  VERSION_CONFLICT: 'The resource was changed by someone else; reload and retry',
  PAYLOAD_TOO_LARGE: 'Request body is too large',
  MALFORMED_JSON: 'Request body is not valid JSON',
  RATE_LIMITED: 'Too many requests; slow down',
  INTERNAL: 'Internal error',
};

/** The one error type of tourdesk; http/error-handler.ts turns it into a response. */
export class AppError extends Error {
  readonly code: TErrorCode;
  readonly details: unknown;

  constructor(code: TErrorCode, message?: string, details?: unknown) {
    super(message ?? DEFAULT_MESSAGES[code] ?? code.toLowerCase().replaceAll('_', ' '));
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const assertNever = (value: never): never => {
  throw new Error(`Unexpected value: ${String(value)}`);
};
