/** The admin sections in tab order, each with the permission that opens it. */
export const ADMIN_SECTIONS = [
  { key: 'users', permission: 'user.manage' },
  { key: 'groups', permission: 'group.manage' },
  { key: 'tokens', permission: 'token.manage' },
  { key: 'email', permission: 'mailbox.manage' },
  { key: 'quarantine', permission: 'mailbox.manage' },
  { key: 'settings', permission: 'settings.manage' },
] as const;

export type TAdminSection = (typeof ADMIN_SECTIONS)[number]['key'];

/** The sections this person may open; none means the admin area shows "no access". */
export const allowedSections = (can: (permission: string) => boolean): TAdminSection[] =>
  ADMIN_SECTIONS.filter((s) => can(s.permission)).map((s) => s.key);

/** The section named in the path under /admin, if it is one. */
export const sectionOfPath = (pathname: string): TAdminSection | null => {
  const segment = pathname.replace(/^\/admin\/?/, '').split('/')[0];
  return ADMIN_SECTIONS.find((s) => s.key === segment)?.key ?? null;
};
