import { z } from 'zod';
import { TOKEN_ROLES, USER_ROLES } from '../enums.ts';
import { ZId } from './common.ts';

export const ZLoginRequest = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZUser = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  department: z.string().nullable(),
  locale: z.string(),
  isActive: z.boolean(),
  groupIds: z.array(z.number().int()),
  version: z.number().int(),
  createdAt: z.string(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZMe = z.object({
  user: ZUser.nullable(),
  actor: z.object({ kind: z.enum(['user', 'token']), role: z.enum(TOKEN_ROLES), name: z.string() }),
  permissions: z.array(z.string()),
  csrfToken: z.string().nullable(),
});
export type TMe = z.infer<typeof ZMe>;

export const ZCreateUserRequest = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(USER_ROLES),
  password: z.string().min(8).max(1024).optional(),
  department: z.string().trim().min(1).max(100).optional(),
  locale: z.enum(['ru', 'en']).optional(),
  groupIds: z.array(ZId).max(100).optional(),
});
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

export const ZUpdateUserRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(USER_ROLES).optional(),
  password: z.string().min(8).max(1024).optional(),
  department: z.string().trim().min(1).max(100).nullable().optional(),
  locale: z.enum(['ru', 'en']).optional(),
  isActive: z.boolean().optional(),
  groupIds: z.array(ZId).max(100).optional(),
});
export type TUpdateUserRequest = z.infer<typeof ZUpdateUserRequest>;

export const ZUpdateMeRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  locale: z.enum(['ru', 'en']).optional(),
  currentPassword: z.string().max(1024).optional(),
  newPassword: z.string().min(8).max(1024).optional(),
});

export const ZCreateApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(TOKEN_ROLES),
});
export type TCreateApiTokenRequest = z.infer<typeof ZCreateApiTokenRequest>;

export const ZApiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(TOKEN_ROLES),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ZCreatedApiToken = ZApiToken.extend({ token: z.string() });

export const ZGroup = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.number().int()),
  version: z.number().int(),
});
export type TGroup = z.infer<typeof ZGroup>;

export const ZCreateGroupRequest = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  memberIds: z.array(ZId).max(500).optional(),
});
export const ZUpdateGroupRequest = ZCreateGroupRequest.partial();

export const ZWorkspaceSettings = z.object({
  name: z.string(),
  timeZone: z.string(),
  locale: z.enum(['ru', 'en']),
  targets: z.object({ csat: z.number(), responseRate: z.number(), resolutionRate: z.number() }),
  autoCloseDays: z.number().int(),
  version: z.number().int(),
});
export type TWorkspaceSettings = z.infer<typeof ZWorkspaceSettings>;

export const ZUpdateWorkspaceSettingsRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timeZone: z
    .string()
    .max(100)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'Unknown IANA time zone')
    .optional(),
  locale: z.enum(['ru', 'en']).optional(),
  targets: z
    .object({
      csat: z.number().min(1).max(5).optional(),
      responseRate: z.number().min(0).max(1).optional(),
      resolutionRate: z.number().min(0).max(1).optional(),
    })
    .optional(),
  autoCloseDays: z.number().int().min(1).max(365).optional(),
});
