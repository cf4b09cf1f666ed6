import type { TActor } from '../access/access.ts';

export type TAppEnv = {
  Variables: {
    requestId: string;
    actor: TActor | null;
    sessionCsrf: string | null;
  };
};
