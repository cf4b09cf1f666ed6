/**
 * Web app bundle size: builds dist/web and prints raw and gzipped bytes of what the first
 * screen loads (index.html and the assets it references) and of each lazily loaded chunk.
 *
 *   npx tsx bench/bundle.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve('dist/web');
const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--force'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]));
const files = fs
  .readdirSync(path.join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const bytes = fs.readFileSync(path.join(dist, 'assets', f));
    return { file: `assets/${f}`, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });

const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(8)} KiB`;
const sum = (xs: typeof files) =>
  xs.reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });
const first = files.filter((f) => initial.has(f.file));
const lazy = files.filter((f) => !initial.has(f.file)).sort((a, b) => b.gzip - a.gzip);

console.log('first screen (index.html + the assets it references):');
for (const f of first) console.log(`  ${f.file.padEnd(44)} ${kb(f.raw)} raw ${kb(f.gzip)} gzip`);
const total = sum(first);
console.log(`  ${'total'.padEnd(44)} ${kb(total.raw)} raw ${kb(total.gzip)} gzip`);
console.log('loaded on demand:');
for (const f of lazy) console.log(`  ${f.file.padEnd(44)} ${kb(f.raw)} raw ${kb(f.gzip)} gzip`);
console.log(JSON.stringify({ firstScreen: total, lazy: sum(lazy) }));
