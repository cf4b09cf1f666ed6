import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where attachment bytes live; the database keeps only metadata and the storage key. */
export type TStorage = {
  put: (bytes: Buffer) => Promise<{ key: string; sha256: string; size: number }>;
  get: (key: string) => Promise<Buffer | null>;
};

/** Content-addressed files under root: the same bytes are stored once. */
export const createDiskStorage = (root: string): TStorage => {
  // The 256 fan-out directories, once made, stay: a syscall per write saved.
  const made = new Set<string>();
  return {
    put: async (bytes) => {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const key = `${sha256.slice(0, 2)}/${sha256}`;
      const file = path.join(root, key);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        await fs.mkdir(dir, { recursive: true });
        made.add(dir);
      }
      // Write aside, then rename: a process killed mid-write leaves a stray temp file, never a
      // truncated file under the content's name that later writes of the same bytes would trust.
      const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await fs.writeFile(temp, bytes).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          // The directory went away under us (a cleaned-up data dir): make it again.
          await fs.mkdir(dir, { recursive: true });
          await fs.writeFile(temp, bytes);
        });
        await fs.rename(temp, file);
      } catch (error) {
        await fs.rm(temp, { force: true });
        throw error;
      }
      return { key, sha256, size: bytes.length };
    },
    get: async (key) => {
      if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) return null;
      try {
        return await fs.readFile(path.join(root, key));
      } catch {
        return null;
      }
    },
  };
};
