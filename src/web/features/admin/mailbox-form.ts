import type { TMailbox } from '../../../shared/schemas/mailboxes.ts';

/** The mailbox editor's state: ports as typed, passwords empty unless being replaced. */
export type TMailboxForm = {
  address: string;
  name: string;
  groupId: number | null;
  signature: string;
  autoAcknowledge: boolean;
  isActive: boolean;
  inboundType: 'smtp' | 'imap';
  imap: {
    host: string;
    port: number | '';
    secure: boolean;
    user: string;
    password: string;
    folder: string;
    /** Empty: mark imported mail seen; a folder: move it there. */
    moveTo: string;
  };
  outbound: { host: string; port: number | ''; secure: boolean; user: string; password: string };
};

export type TMailboxField =
  | 'address'
  | 'name'
  | 'imap.host'
  | 'imap.port'
  | 'imap.user'
  | 'imap.password'
  | 'imap.folder'
  | 'outbound.host'
  | 'outbound.port'
  | 'outbound.user';

export type TMailboxFormErrors = Partial<Record<TMailboxField, 'required' | 'invalid' | 'range'>>;

export const emptyMailboxForm = (): TMailboxForm => ({
  address: '',
  name: '',
  groupId: null,
  signature: '',
  autoAcknowledge: false,
  isActive: true,
  inboundType: 'smtp',
  imap: { host: '', port: 993, secure: true, user: '', password: '', folder: 'INBOX', moveTo: '' },
  outbound: { host: '', port: 587, secure: false, user: '', password: '' },
});

export const mailboxFormOf = (m: TMailbox): TMailboxForm => ({
  address: m.address,
  name: m.name,
  groupId: m.groupId,
  signature: m.signature,
  autoAcknowledge: m.autoAcknowledge,
  isActive: m.isActive,
  inboundType: m.inbound.type,
  imap:
    m.inbound.type === 'imap'
      ? { ...m.inbound, password: '', moveTo: m.inbound.moveTo ?? '' }
      : { host: '', port: 993, secure: true, user: '', password: '', folder: 'INBOX', moveTo: '' },
  outbound: {
    host: m.outbound.host,
    port: m.outbound.port,
    secure: m.outbound.secure,
    user: m.outbound.user ?? '',
    password: '',
  },
});

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;
const isPort = (port: number | '') => port !== '' && Number.isInteger(port) && port >= 1 && port <= 65535;

/** Whether the mailbox as saved has an IMAP password the form may leave out. */
const hasImapPassword = (base: TMailbox | null) => base?.inbound.type === 'imap' && base.inbound.hasPassword;

/** What the API would refuse, said before sending; an IMAP password is needed only when none is stored. */
export const validateMailboxForm = (form: TMailboxForm, base: TMailbox | null): TMailboxFormErrors => {
  const errors: TMailboxFormErrors = {};
  if (!form.address.trim()) errors.address = 'required';
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.address.trim())) errors.address = 'invalid';
  if (!form.name.trim()) errors.name = 'required';
  if (form.inboundType === 'imap') {
    const { imap } = form;
    if (!imap.host.trim()) errors['imap.host'] = 'required';
    else if (!HOST.test(imap.host.trim())) errors['imap.host'] = 'invalid';
    if (!isPort(imap.port)) errors['imap.port'] = 'range';
    if (!imap.user.trim()) errors['imap.user'] = 'required';
    if (!imap.password && !hasImapPassword(base)) errors['imap.password'] = 'required';
    if (!imap.folder.trim()) errors['imap.folder'] = 'required';
  }
  const { outbound } = form;
  if (!outbound.host.trim()) errors['outbound.host'] = 'required';
  else if (!HOST.test(outbound.host.trim())) errors['outbound.host'] = 'invalid';
  if (!isPort(outbound.port)) errors['outbound.port'] = 'range';
  if (outbound.password && !outbound.user.trim()) errors['outbound.user'] = 'required';
  return errors;
};

/** The inbound object of a request; a password only when one was typed (left out, the stored one stays). */
export const inboundBody = (form: TMailboxForm) =>
  form.inboundType === 'smtp'
    ? { type: 'smtp' as const }
    : {
        type: 'imap' as const,
        host: form.imap.host.trim(),
        port: Number(form.imap.port),
        secure: form.imap.secure,
        user: form.imap.user.trim(),
        folder: form.imap.folder.trim(),
        moveTo: form.imap.moveTo.trim() || null,
        ...(form.imap.password && { password: form.imap.password }),
      };

/** The outbound object of a request (also what "test connection" checks). */
export const outboundBody = (form: TMailboxForm) => ({
  host: form.outbound.host.trim(),
  port: Number(form.outbound.port),
  secure: form.outbound.secure,
  user: form.outbound.user.trim() || null,
  ...(form.outbound.password && form.outbound.user.trim() && { password: form.outbound.password }),
});

export const createMailboxBody = (form: TMailboxForm) => ({
  address: form.address.trim(),
  name: form.name.trim(),
  groupId: form.groupId,
  inbound: inboundBody(form),
  outbound: outboundBody(form),
  signature: form.signature,
  autoAcknowledge: form.autoAcknowledge,
});

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what differs from the mailbox as opened; inbound/outbound go whole when any of their fields changed. */
export const updateMailboxBody = (form: TMailboxForm, base: TMailbox) => {
  const was = mailboxFormOf(base);
  const inbound = inboundBody(form);
  const outbound = outboundBody(form);
  return {
    ...(form.address.trim() !== base.address && { address: form.address.trim() }),
    ...(form.name.trim() !== base.name && { name: form.name.trim() }),
    ...(form.groupId !== base.groupId && { groupId: form.groupId }),
    ...(form.signature !== base.signature && { signature: form.signature }),
    ...(form.autoAcknowledge !== base.autoAcknowledge && { autoAcknowledge: form.autoAcknowledge }),
    ...(form.isActive !== base.isActive && { isActive: form.isActive }),
    ...(!sameJson(inbound, inboundBody(was)) && { inbound }),
    ...(!sameJson(outbound, outboundBody(was)) && { outbound }),
  };
};

/** Field messages of a 400 answer by their full path (`outbound.port`), `inbound.*` shown on the IMAP fields. */
export const serverFieldErrors = (details: unknown): Partial<Record<TMailboxField, string>> => {
  const out: Partial<Record<TMailboxField, string>> = {};
  if (!Array.isArray(details)) return out;
  for (const item of details as { path?: unknown; message?: unknown }[]) {
    if (typeof item?.path !== 'string' || typeof item.message !== 'string') continue;
    const field = item.path.replace(/^inbound\./, 'imap.') as TMailboxField;
    out[field] ??= item.message;
  }
  return out;
};
