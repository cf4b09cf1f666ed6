import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { errorCode, fieldErrors, isVersionConflict } from './api-errors.ts';

describe('api errors', () => {
  it('recognises a version conflict', () => {
    expect(isVersionConflict(new ApiError(409, 'VERSION_CONFLICT', 'changed'))).toBe(true);
    expect(isVersionConflict(new ApiError(409, 'EMAIL_TAKEN', 'taken'))).toBe(false);
    expect(isVersionConflict(new Error('x'))).toBe(false);
  });

  it('gives the code of API errors only', () => {
    expect(errorCode(new ApiError(404, 'CONTACT_NOT_FOUND', 'x'))).toBe('CONTACT_NOT_FOUND');
    expect(errorCode(new Error('x'))).toBeNull();
  });

  it('maps validation details to fields, first message wins', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { path: 'email', message: 'Invalid email' },
      { path: ['password'], message: 'Too short' },
      { path: ['password'], message: 'Second' },
      { path: 'targets.csat', message: 'Too big' },
      'junk',
    ]);
    expect(fieldErrors(error)).toEqual({ email: 'Invalid email', password: 'Too short', targets: 'Too big' });
    expect(fieldErrors(new ApiError(400, 'VALIDATION_FAILED', 'bad'))).toEqual({});
  });
});
