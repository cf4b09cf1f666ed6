import type { PGlite } from '@electric-sql/pglite';

type TQueryResult = { command: string; rowCount: number; rows: unknown[] };
type TClient = {
  query: (sql: string, params?: readonly unknown[]) => Promise<TQueryResult>;
  release: () => void;
};

const MULTI_STATEMENT = /;\s*\S/;

const commandOf = (sql: string): string => /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';

/**
 * A pg.Pool look-alike of size 1 over PGlite's single connection: a caller holds the
 * connection until release(), so a transaction never interleaves with another request.
 */
export class PGlitePool {
  readonly #pg: PGlite;
  #tail: Promise<void> = Promise.resolve();

  constructor(pg: PGlite) {
    this.#pg = pg;
  }

  async connect(): Promise<TClient> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    await previous;
    let released = false;
    return {
      query: async (sql, params = []) => {
        if (params.length === 0 && MULTI_STATEMENT.test(sql)) {
          // The extended protocol takes one statement; migrations send several.
          const results = await this.#pg.exec(sql);
          const last = results.at(-1);
          return { command: commandOf(sql), rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
        }
        const result = await this.#pg.query(sql, params as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release: () => {
        if (!released) {
          released = true;
          release();
        }
      },
    };
  }

  async end(): Promise<void> {
    await this.#tail;
  }
}
