import * as admin from '../features/admin/i18n.ts';
import * as auth from '../features/auth/i18n.ts';
import * as contacts from '../features/contacts/i18n.ts';
import * as inbox from '../features/inbox/i18n.ts';
import * as profile from '../features/profile/i18n.ts';
import * as search from '../features/search/i18n.ts';
import * as tickets from '../features/tickets/i18n.ts';
import * as common from './common.ts';

/** Every namespace with its two catalogues. Each feature owns its own strings. */
export const CATALOGUES = { common, auth, inbox, tickets, contacts, search, admin, profile } as const;
