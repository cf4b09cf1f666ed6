import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AppError, type TErrorCode } from '../../shared/errors.ts';
import { requirePermission, type TPermission } from '../access/access.ts';
import type { TAppEnv } from './types.ts';

/**
 * 'public' needs nobody; 'authenticated' needs any signed-in actor; 'person' a signed-in user,
 * never an API token (things that belong to someone, like saved views); otherwise a permission.
 */
export type TRouteRule = TPermission | 'public' | 'authenticated' | 'person';

const authorize =
  (rule: TRouteRule): MiddlewareHandler<TAppEnv> =>
  async (c, next) => {
    if (rule !== 'public') {
      const actor = c.get('actor');
      if (!actor) throw new AppError('UNAUTHENTICATED');
      if (rule === 'person') {
        if (actor.kind !== 'user')
          throw new AppError('FORBIDDEN', 'This belongs to a person; API tokens may not use it');
      } else if (rule !== 'authenticated') {
        requirePermission(actor, rule);
      }
    }
    await next();
  };

type TRouteInput = Omit<RouteConfig, 'middleware'> & { rule: TRouteRule; tags: string[] };

/** Every API route is declared here: the rule is checked before validation, deny by default. */
export const defineRoute = <const R extends TRouteInput>(input: R) => {
  const { rule, ...config } = input;
  type TDeclared = Omit<R, 'rule'> & { middleware: MiddlewareHandler<TAppEnv>[]; 'x-rule': TRouteRule };
  return createRoute({ ...config, middleware: [authorize(rule)], 'x-rule': rule } as unknown as TDeclared);
};

export const ZErrorResponse = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

/** Request body descriptor for a JSON body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** Standard responses: the success shape plus the error shape for every failure status. */
export const jsonResponses = <T extends z.ZodType>(status: 200 | 201, schema: T, description = 'OK') =>
  ({
    [status]: { description, content: { 'application/json': { schema } } },
    400: { description: 'Bad input', content: { 'application/json': { schema: ZErrorResponse } } },
    401: { description: 'Not signed in', content: { 'application/json': { schema: ZErrorResponse } } },
    403: { description: 'Forbidden', content: { 'application/json': { schema: ZErrorResponse } } },
    404: { description: 'Not found', content: { 'application/json': { schema: ZErrorResponse } } },
    409: { description: 'Conflict', content: { 'application/json': { schema: ZErrorResponse } } },
  }) as const;

export const noContentResponses = () =>
  ({
    204: { description: 'Done' },
    401: { description: 'Not signed in', content: { 'application/json': { schema: ZErrorResponse } } },
    403: { description: 'Forbidden', content: { 'application/json': { schema: ZErrorResponse } } },
    404: { description: 'Not found', content: { 'application/json': { schema: ZErrorResponse } } },
  }) as const;

export const ZIdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '42' }),
});

/** Path ids are positive integers; anything else is simply not found. */
export const parseId = (raw: string, notFound: TErrorCode): number => {
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new AppError(notFound);
  const id = Number(raw);
  if (id > 2_147_483_647) throw new AppError(notFound);
  return id;
};

/** The If-Match header as a version number, or undefined when absent. */
export const parseIfMatch = (header: string | undefined): number | undefined => {
  if (header === undefined) return undefined;
  const cleaned = header.replace(/^W\//, '').replaceAll('"', '').trim();
  if (!/^\d+$/.test(cleaned)) throw new AppError('VALIDATION_FAILED', 'If-Match must be a version number');
  return Number(cleaned);
};
