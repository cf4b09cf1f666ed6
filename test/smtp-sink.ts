import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type TSinkMessage = { from: string; to: string[]; raw: Buffer; user: string | null };

/** A refusal the sink answers at the end of DATA, e.g. `{ code: 451, text: '4.7.1 Try again later' }`. */
export type TRefusal = { code: number; text: string };

/**
 * A real SMTP server on a free loopback port that keeps what it accepts: the far end of outbound
 * mail in tests. Plain text (no STARTTLS); AUTH PLAIN/LOGIN with one user when `auth` is given.
 */
export const startSmtpSink = async (options: { auth?: { user: string; password: string } } = {}) => {
  const messages: TSinkMessage[] = [];
  const refusals: TRefusal[] = [];
  let refuseAlways: TRefusal | null = null;
  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    logger: false,
    onAuth: (auth, _session, callback) => {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.password) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refusals.shift() ?? refuseAlways;
        if (refusal) {
          callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
          return;
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    /** The next message is refused with this answer (queue several for several refusals). */
    refuseNext: (refusal: TRefusal) => refusals.push(refusal),
    /** Every message is refused with this answer until called with null. */
    refuseAll: (refusal: TRefusal | null) => {
      refuseAlways = refusal;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type TSmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

/** A loopback port nothing listens on: connecting to it is refused at once. */
export const closedPort = async (): Promise<number> => {
  const server = new SMTPServer({ logger: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};
