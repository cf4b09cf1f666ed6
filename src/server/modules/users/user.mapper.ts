import type { TUser } from '../../../shared/schemas/auth.ts';
import type { TUserWithGroups } from './user.repository.ts';

export const mapUser = (row: TUserWithGroups): TUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role as TUser['role'],
  department: row.department,
  locale: row.locale,
  isActive: row.is_active,
  groupIds: [...(row.group_ids ?? [])].sort((a, b) => a - b),
  version: row.version,
  createdAt: row.created_at.toISOString(),
});
