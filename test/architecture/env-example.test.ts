import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/config/env.js';

describe('.env.example', () => {
  it('lists exactly the variables the env schema reads', () => {
    const text = readFileSync(join(import.meta.dirname, '../../.env.example'), 'utf8');
    const listed = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(envSchema.shape).sort());
  });
});
