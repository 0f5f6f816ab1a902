import { describe, expect, it } from 'vitest';
import {
  FRAMINGS,
  framingByName,
  headerFraming,
  nulFraming,
} from '../../../../src/links/csta/framing/index.js';

describe('framing registry', () => {
  it('finds each framing by its own name', () => {
    expect(framingByName('header')).toBe(headerFraming);
    expect(framingByName('nul')).toBe(nulFraming);
    for (const [name, framing] of Object.entries(FRAMINGS)) expect(framing.name).toBe(name);
  });

  it('answers undefined for unknown names, inherited properties included', () => {
    for (const name of ['', 'HEADER', 'length-prefixed', 'toString', '__proto__', 'constructor']) {
      expect(framingByName(name)).toBeUndefined();
    }
  });
});
