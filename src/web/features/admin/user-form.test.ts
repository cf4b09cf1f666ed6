import { describe, expect, it } from 'vitest';
import { createUserBody, type TUserForm, updateUserBody, validateUserForm } from './user-form.ts';

const FORM: TUserForm = {
  email: ' new.agent@example.com ',
  name: ' Новый агент ',
  role: 'agent',
  department: null,
  groupIds: [],
  password: 'long-enough',
};

describe('user form', () => {
  it('accepts a complete new user and builds a trimmed request', () => {
    expect(validateUserForm(FORM, 'create')).toEqual({});
    expect(createUserBody({ ...FORM, department: 'finance', groupIds: [2] })).toEqual({
      email: 'new.agent@example.com',
      name: 'Новый агент',
      role: 'agent',
      department: 'finance',
      groupIds: [2],
      password: 'long-enough',
    });
  });

  it('says what is missing or wrong', () => {
    expect(validateUserForm({ ...FORM, email: 'nope', name: ' ', password: 'short' }, 'create')).toEqual({
      email: 'invalid',
      name: 'required',
      password: 'tooShort',
    });
    expect(validateUserForm({ ...FORM, email: '', password: '' }, 'create')).toEqual({
      email: 'required',
      password: 'required',
    });
    // Editing keeps the password unless a new one is typed.
    expect(validateUserForm({ ...FORM, email: '', password: '' }, 'edit')).toEqual({});
  });

  it('updates only what changed', () => {
    const base = { name: 'Новый агент', role: 'agent' as const, department: null, groupIds: [1, 2] };
    expect(updateUserBody({ ...FORM, groupIds: [2, 1], password: '' }, base)).toEqual({});
    expect(
      updateUserBody({ ...FORM, role: 'supervisor', department: 'sales', groupIds: [1], password: '' }, base),
    ).toEqual({ role: 'supervisor', department: 'sales', groupIds: [1] });
  });
});
