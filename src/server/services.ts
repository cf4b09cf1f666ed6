import { createInboundEmailService } from './channels/email/inbound-email.service.ts';
import { createEmailService } from './channels/email/outbound.service.ts';
import type { TConfig } from './config.ts';
import type { TDatabase } from './db/database.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { TSecrets } from './lib/secrets.ts';
import type { TStorage } from './lib/storage.ts';
import type { TLogger } from './logger.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createContactService } from './modules/contacts/contact.service.ts';
import { createGroupService } from './modules/groups/group.service.ts';
import { createMailboxService } from './modules/mailboxes/mailbox.service.ts';
import { createMarketplaceService } from './modules/marketplace/marketplace.service.ts';
import { createSearchService } from './modules/search/search.service.ts';
import { createSettingsService } from './modules/settings/settings.service.ts';
import { createTicketService } from './modules/tickets/ticket.service.ts';
import { createUserService } from './modules/users/user.service.ts';
import { createViewService } from './modules/views/view.service.ts';
import type { TRealtime } from './realtime/hub.ts';

export type TServiceDeps = {
  database: TDatabase;
  config: TConfig;
  logger: TLogger;
  clock: () => Date;
  storage: TStorage;
  realtime: TRealtime;
  queue: JobQueue;
  secrets: TSecrets;
  /** The other services, resolved lazily: modules call each other's services, never their repositories. */
  services: () => TServices;
};

export type TServices = ReturnType<typeof buildServices>;

const buildServices = (deps: TServiceDeps) => ({
  auth: createAuthService(deps),
  users: createUserService(deps),
  groups: createGroupService(deps),
  settings: createSettingsService(deps),
  contacts: createContactService(deps),
  marketplace: createMarketplaceService(deps),
  tickets: createTicketService(deps),
  search: createSearchService(deps),
  views: createViewService(deps),
  mailboxes: createMailboxService(deps),
  email: createEmailService(deps),
  /** Inbound email: ingest (SMTP listener, IMAP fetcher), recipient check, quarantine. */
  inboundEmail: createInboundEmailService(deps),
});

export const createServices = (deps: Omit<TServiceDeps, 'services'>): TServices => {
  let services: TServices | undefined;
  services = buildServices({ ...deps, services: () => services! });
  return services;
};
