import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/** What it takes to talk to an outbound SMTP server; the password already decrypted. */
export type TSmtpSettings = {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
};

/** Short enough that a dead server fails an attempt (and the queue retries) instead of holding a worker. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/** A one-connection nodemailer transport; close it when done. */
export const createSmtpTransport = (settings: TSmtpSettings) =>
  nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    ...TIMEOUTS,
  } satisfies SMTPTransport.Options);

type TSmtpError = Error & { response?: string; responseCode?: number; code?: string; command?: string };

/** What the server said when it refused ("451 4.7.1 Try again later"), else what went wrong locally. */
export const smtpErrorText = (error: unknown): string => {
  const e = error as TSmtpError;
  const text = e?.response?.trim() || (e instanceof Error ? e.message : String(error));
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
};

/**
 * A refusal that retrying will not change: a 5xx answer to the message or its recipients.
 * Authentication failures are retried, since an admin may fix the password meanwhile.
 */
export const isPermanentSmtpError = (error: unknown): boolean => {
  const e = error as TSmtpError;
  return typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH';
};

/** Connects, greets and authenticates (nodemailer verify); never throws. */
export const verifySmtp = async (settings: TSmtpSettings): Promise<{ ok: boolean; error?: string }> => {
  const transport = createSmtpTransport(settings);
  try {
    await transport.verify();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: smtpErrorText(error) };
  } finally {
    transport.close();
  }
};
