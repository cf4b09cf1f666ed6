import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { TAppEnv } from './types.ts';

/** Where `npm run build:web` puts the agent web app. */
export const WEB_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// Mantine writes style attributes, so styles need 'unsafe-inline'; scripts never do.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>tourdesk</title>
<p>The web app is not built yet. Run <code>npm run build:web</code> (npm start does it for you).</p>`;

/**
 * Serves the built single-page app: hashed assets with a year of caching, every other
 * non-API GET gets index.html so client-side routes survive a reload.
 */
export const serveWebApp = (app: Hono<TAppEnv>, dir: string = WEB_DIST_DIR) => {
  const read = (file: string): Buffer | null => {
    const resolved = path.resolve(dir, `.${path.posix.normalize(`/${file}`)}`);
    if (!resolved.startsWith(dir + path.sep)) return null;
    try {
      return fs.statSync(resolved).isFile() ? fs.readFileSync(resolved) : null;
    } catch {
      return null;
    }
  };

  app.get('*', async (c, next) => {
    const urlPath = decodeURIComponent(c.req.path);
    if (urlPath.startsWith('/api/') || urlPath === '/api') return next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    if (urlPath.startsWith('/assets/')) {
      const body = read(urlPath);
      if (!body) return next();
      c.header('Content-Type', TYPES[path.extname(urlPath)] ?? 'application/octet-stream');
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.body(new Uint8Array(body));
    }
    const direct = path.extname(urlPath) ? read(urlPath) : null;
    if (direct) {
      c.header('Content-Type', TYPES[path.extname(urlPath)] ?? 'application/octet-stream');
      return c.body(new Uint8Array(direct));
    }
    const index = read('index.html');
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'DENY');
    return c.html(index ? index.toString('utf8') : NOT_BUILT, index ? 200 : 503);
  });
};
