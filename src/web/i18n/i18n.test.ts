import { describe, expect, it } from 'vitest';
import { CATALOGUES } from './catalogues.ts';

/** Every key path of a catalogue, with its value. */
const leaves = (node: unknown, prefix = ''): [string, unknown][] =>
  node !== null && typeof node === 'object'
    ? Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, node]];

// Plural forms differ by language (ru: _one/_few/_many, en: _one/_other): compare base keys.
const baseKeys = (entries: [string, unknown][]) =>
  [...new Set(entries.map(([k]) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();

describe('i18n catalogues', () => {
  for (const [ns, { ru, en }] of Object.entries(CATALOGUES)) {
    it(`${ns}: ru and en have the same keys and no empty strings`, () => {
      const ruLeaves = leaves(ru);
      const enLeaves = leaves(en);
      expect(baseKeys(enLeaves)).toEqual(baseKeys(ruLeaves));
      for (const [key, value] of [...ruLeaves, ...enLeaves]) {
        expect(typeof value, `${ns}.${key}`).toBe('string');
        expect((value as string).trim(), `${ns}.${key}`).not.toBe('');
      }
    });
  }

  it('interpolations match between languages', () => {
    for (const [ns, { ru, en }] of Object.entries(CATALOGUES)) {
      const enMap = new Map(leaves(en));
      for (const [key, value] of leaves(ru)) {
        const vars = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
        expect(vars(enMap.get(key)), `${ns}.${key}`).toEqual(vars(value));
      }
    }
  });
});
