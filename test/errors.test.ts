import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

describe('error codes', () => {
  it('documents every code in docs/errors.md, and documents no code that does not exist', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Set(doc.match(/RELAIS_ERR_[A-Z_]+/g));
    expect([...documented].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
