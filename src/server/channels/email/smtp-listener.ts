import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { TSmtpConfig } from '../../config.ts';
import type { TLogger } from '../../logger.ts';
import type { TIngestInput, TIngestResult } from './ingest.ts';

/** What the listener needs of tourdesk: the recipient check and ingestion (services().inboundEmail). */
export type TSmtpIntake = {
  resolveRecipient: (address: string) => Promise<{ mailboxId: number } | null>;
  ingest: (input: TIngestInput) => Promise<TIngestResult>;
};

export type TSmtpListener = {
  port: number;
  /** Refuses new mail (421), lets ingestion in flight commit and answer, then closes every connection. */
  close: () => Promise<void>;
};

/** How long close() leaves idle client connections before cutting them. */
const CLOSE_GRACE_MS = 500;

const smtpError = (responseCode: number, message: string) =>
  Object.assign(new Error(message), { responseCode });

const sameSecret = (given: string | null | undefined, expected: string) => {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Reads the whole DATA stream; stops keeping bytes once it is over the size limit. */
const readMessage = (stream: SMTPServerDataStream): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(stream.sizeExceeded ? null : Buffer.concat(chunks)));
  });

/**
 * The built-in SMTP listener: accepts mail for active mailboxes (and their reply addresses) only —
 * 550 for any other recipient, 552 over the size limit — and answers 250 only once ingestion has
 * committed the message (or quarantined it); 451 when the database is unavailable, so the sender
 * retries. Optional STARTTLS with the given key and certificate, optional AUTH for a relaying MTA.
 */
export const startSmtpListener = async (options: {
  config: TSmtpConfig;
  intake: TSmtpIntake;
  logger: TLogger;
}): Promise<TSmtpListener> => {
  const { config, intake } = options;
  const logger = options.logger.child({ component: 'smtp' });
  const recipientsOf = new Map<string, Map<string, number>>();
  const inFlight = new Set<Promise<unknown>>();
  let isClosing = false;
  const keyOf = (session: SMTPServerSession) => `${session.id}:${session.transaction}`;

  const disabled = [...(config.tls ? [] : ['STARTTLS']), ...(config.auth ? [] : ['AUTH'])];
  const server = new SMTPServer({
    name: 'tourdesk',
    banner: 'tourdesk ESMTP',
    size: config.maxBytes,
    disabledCommands: disabled,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: CLOSE_GRACE_MS,
    ...(config.tls && {
      key: fs.readFileSync(config.tls.keyPath),
      cert: fs.readFileSync(config.tls.certPath),
    }),
    ...(config.auth && {
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: false,
      allowInsecureAuth: !config.tls,
    }),
    onAuth: (auth, _session, callback) => {
      const ok =
        config.auth !== null &&
        sameSecret(auth.username, config.auth.user) &&
        sameSecret(auth.password, config.auth.password);
      if (ok) callback(null, { user: auth.username });
      else callback(smtpError(535, '5.7.8 Authentication failed'));
    },
    onClose: (session) => {
      for (const key of recipientsOf.keys()) if (key.startsWith(`${session.id}:`)) recipientsOf.delete(key);
    },
    onMailFrom: (_address, session, callback) => {
      recipientsOf.delete(keyOf(session));
      if (isClosing) return callback(smtpError(421, '4.3.2 Shutting down, try again later'));
      callback();
    },
    onRcptTo: (address, session, callback) => {
      intake.resolveRecipient(address.address).then(
        (found) => {
          if (!found) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
          const key = keyOf(session);
          const map = recipientsOf.get(key) ?? new Map<string, number>();
          map.set(address.address, found.mailboxId);
          recipientsOf.set(key, map);
          callback();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'recipient check failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData: (stream, session, callback) => {
      const key = keyOf(session);
      const work = (async () => {
        const raw = await readMessage(stream);
        const recipients = recipientsOf.get(key) ?? new Map<string, number>();
        recipientsOf.delete(key);
        if (raw === null) throw smtpError(552, `5.3.4 Message larger than ${config.maxBytes} bytes`);
        if (isClosing) throw smtpError(421, '4.3.2 Shutting down, try again later');
        const mailFrom = session.envelope.mailFrom;
        const results: TIngestResult[] = [];
        // One delivery per mailbox addressed; each dedupes on its own (mailbox, Message-ID).
        for (const mailboxId of new Set(recipients.values())) {
          results.push(
            await intake.ingest({
              mailboxId,
              raw,
              source: 'smtp',
              recipients: [...recipients.keys()],
              envelopeFrom: mailFrom ? mailFrom.address : undefined,
            }),
          );
        }
        return results;
      })();
      inFlight.add(work);
      work.then(
        (results) => {
          inFlight.delete(work);
          callback(null, `2.0.0 Accepted: ${results.map((r) => r.outcome).join(', ')}`);
        },
        (error: unknown) => {
          inFlight.delete(work);
          const code = (error as { responseCode?: number }).responseCode;
          if (code) return callback(error as Error);
          logger.error({ err: error }, 'inbound email not committed; the sender will retry');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'smtp connection error'));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  logger.info({ port, host: config.host }, 'SMTP listener started');

  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closing ??= (async () => {
        isClosing = true;
        await Promise.allSettled([...inFlight]);
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
};
