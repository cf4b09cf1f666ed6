import type { TIdentityChannel } from '../../../shared/enums.ts';

/** Canonical form of an identity value, so the same person is found however they typed it. */
export const normalizeIdentity = (channel: TIdentityChannel, raw: string): string => {
  const value = raw.trim();
  switch (channel) {
    case 'email':
      return value.toLowerCase();
    case 'phone': {
      const digits = value.replace(/[^\d]/g, '');
      // Russian habit: 8 XXX XXX-XX-XX is +7 XXX XXX-XX-XX.
      if (digits.length === 11 && digits.startsWith('8') && !value.startsWith('+'))
        return `+7${digits.slice(1)}`;
      return `+${digits}`;
    }
    case 'telegram':
      return value.replace(/^@/, '').toLowerCase();
    case 'chat':
      return value;
    default: {
      const unreachable: never = channel;
      return unreachable;
    }
  }
};
