/** DNIS → campaign: numbers in any format, the first campaign of a number wins, others have none. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { campaignIndex } from '../../src/desktop/campaigns.js';
import { frNormalise } from '../helpers/numbers.js';

describe('campaigns', () => {
  it('finds the campaign of a dialled number in any format', () => {
    const of = campaignIndex(
      [
        { id: 'spring', name: 'Printemps', dnis: ['0800 123 456', '+33 1 40 00 00 01'] },
        { id: 'later', name: 'Plus tard', dnis: ['08 00 12 34 56'] },
      ],
      frNormalise,
    );
    expect(of(frNormalise('+33800123456'))).toEqual({ id: 'spring', name: 'Printemps' });
    expect(of(frNormalise('01 40 00 00 01'))).toEqual({ id: 'spring', name: 'Printemps' });
    expect(of(frNormalise('01 40 00 00 02'))).toBeUndefined();
    expect(of(frNormalise('anonymous'))).toBeUndefined();
  });

  it('refuses two campaigns with one id', () => {
    expect(() =>
      validateConfig({
        campaigns: [
          { id: 'a', name: 'A', dnis: ['0800 000 001'] },
          { id: 'a', name: 'B', dnis: ['0800 000 002'] },
        ],
      }),
    ).toThrow(/campaigns\[1\]\.id: another campaign is already "a"/);
  });
});
