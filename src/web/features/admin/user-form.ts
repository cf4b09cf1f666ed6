import type { TUserRole } from '../../../shared/enums.ts';

export type TUserForm = {
  email: string;
  name: string;
  role: TUserRole;
  department: string | null;
  groupIds: number[];
  password: string;
};

export type TUserFormErrors = Partial<
  Record<'email' | 'name' | 'password', 'required' | 'invalid' | 'tooShort'>
>;

export const MIN_PASSWORD_LENGTH = 8;

/** What the API would refuse, said before sending. A password is optional when editing. */
export const validateUserForm = (form: TUserForm, mode: 'create' | 'edit'): TUserFormErrors => {
  const errors: TUserFormErrors = {};
  if (mode === 'create') {
    if (!form.email.trim()) errors.email = 'required';
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) errors.email = 'invalid';
  }
  if (!form.name.trim()) errors.name = 'required';
  if (form.password && form.password.length < MIN_PASSWORD_LENGTH) errors.password = 'tooShort';
  if (mode === 'create' && !form.password) errors.password = 'required';
  return errors;
};

/** Whether two id lists hold the same ids: the edit sends groupIds only when the set changed. */
const sameIds = (a: readonly number[], b: readonly number[]) => {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
};

/** The create request: trimmed, without empty optional fields. */
export const createUserBody = (form: TUserForm) => ({
  email: form.email.trim(),
  name: form.name.trim(),
  role: form.role,
  ...(form.department && { department: form.department }),
  ...(form.groupIds.length > 0 && { groupIds: form.groupIds }),
  ...(form.password && { password: form.password }),
});

/** The update request: only what differs from the user as loaded. */
export const updateUserBody = (
  form: TUserForm,
  base: { name: string; role: TUserRole; department: string | null; groupIds: number[] },
) => ({
  ...(form.name.trim() !== base.name && { name: form.name.trim() }),
  ...(form.role !== base.role && { role: form.role }),
  ...(form.department !== base.department && { department: form.department }),
  ...(!sameIds(form.groupIds, base.groupIds) && { groupIds: form.groupIds }),
  ...(form.password && { password: form.password }),
});
