import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';
import type { TActor } from '../access/access.ts';
import type { TAppEnv } from './types.ts';

/** The authenticated actor; the route's rule already guaranteed one. */
export const actorOf = (c: Context<TAppEnv>): TActor => {
  const actor = c.get('actor');
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
};
