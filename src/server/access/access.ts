import type { TTokenRole, TUserRole } from '../../shared/enums.ts';
import { AppError, type TErrorCode } from '../../shared/errors.ts';

export const PERMISSIONS = [
  'ticket.read',
  'ticket.create',
  'ticket.update',
  'ticket.reply',
  'ticket.note',
  'ticket.merge',
  'contact.read',
  'contact.write',
  'contact.merge',
  'user.read',
  'user.manage',
  'group.read',
  'group.manage',
  'token.manage',
  'settings.read',
  'settings.manage',
  'mailbox.manage',
  'marketplace.read',
  'marketplace.sync',
  'search',
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

export type TActor =
  | { kind: 'user'; userId: number; role: TUserRole; name: string; viaSession: boolean }
  | { kind: 'token'; tokenId: number; role: TTokenRole; name: string };

const AGENT: TPermission[] = [
  'ticket.read',
  'ticket.create',
  'ticket.update',
  'ticket.reply',
  'ticket.note',
  'ticket.merge',
  'contact.read',
  'contact.write',
  'contact.merge',
  'user.read',
  'group.read',
  'settings.read',
  'marketplace.read',
  'search',
];

/** Role → permissions. Anything not listed is denied. */
export const ROLE_PERMISSIONS: Record<TTokenRole, ReadonlySet<TPermission>> = {
  admin: new Set(PERMISSIONS),
  supervisor: new Set([...AGENT, 'group.manage']),
  agent: new Set(AGENT),
  // Department members see only what is escalated to them; ticket visibility narrows it further.
  department_member: new Set(['ticket.read', 'ticket.note', 'settings.read']),
  integration: new Set([
    'ticket.read',
    'ticket.create',
    'ticket.reply',
    'ticket.note',
    'contact.read',
    'contact.write',
    'marketplace.read',
    'marketplace.sync',
  ]),
};

export const can = (actor: TActor, permission: TPermission): boolean =>
  ROLE_PERMISSIONS[actor.role].has(permission);

/** Throws FORBIDDEN unless the actor's role grants the permission. */
export const requirePermission = (actor: TActor | null, permission: TPermission): TActor => {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!can(actor, permission)) throw new AppError('FORBIDDEN', `Missing permission ${permission}`);
  return actor;
};

/**
 * Whether the actor may see tickets at all beyond its role: department members see only
 * tickets escalated to their department, and escalations do not exist yet, so none.
 */
export const seesAllTickets = (actor: TActor): boolean => actor.role !== 'department_member';

/** Throws the resource's not-found code when the actor may not see the ticket: existence is not leaked. */
export const requireTicketAccess = (
  actor: TActor,
  permission: TPermission,
  ticket: { id: number } | undefined,
  notFound: TErrorCode = 'TICKET_NOT_FOUND',
): void => {
  requirePermission(actor, permission);
  if (!ticket || !seesAllTickets(actor)) throw new AppError(notFound);
};

export const actorUserId = (actor: TActor): number | null => (actor.kind === 'user' ? actor.userId : null);
