import pino from 'pino';

export type TLogger = pino.Logger;

export const createLogger = (level: string): TLogger => pino({ level, base: { service: 'tourdesk' } });
