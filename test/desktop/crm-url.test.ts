/** CRM URL templates: first matching entry by DNIS or queue, values encoded, withheld callers empty. */
import { describe, expect, it } from 'vitest';
import { crmUrlResolver } from '../../src/desktop/crm-url.js';
import type { Call } from '../../src/model/call.js';
import { frNormalise } from '../helpers/numbers.js';

const call = (ani: string, dnis: string): Call => ({
  id: 'c 1',
  link: 'pbx',
  state: 'alerting',
  ani: { number: frNormalise(ani) },
  dnis: { number: frNormalise(dnis) },
  customerId: 'k-9',
  device: '2001',
  offeredAt: 0,
  holdMs: 0,
  transfers: 0,
});

describe('CRM URL templates', () => {
  const resolve = crmUrlResolver(
    [
      { dnis: ['0800 123 456'], url: 'https://crm.example/campaign?phone={ani}&call={callId}' },
      { queue: 'vip', url: 'https://crm.example/vip/{customerId}' },
      { url: 'https://crm.example/contacts?phone={ani}&dnis={dnis}' },
    ],
    frNormalise,
  );

  it('takes the first entry that matches the DNIS or the queue, and encodes the values', () => {
    expect(resolve(call('06 12 34 56 78', '+33 800 123 456'), undefined)).toBe(
      'https://crm.example/campaign?phone=%2B33612345678&call=c%201',
    );
    expect(resolve(call('06 12 34 56 78', '01 40 00 00 00'), 'vip')).toBe('https://crm.example/vip/k-9');
    expect(resolve(call('anonymous', '01 40 00 00 00'), 'support')).toBe(
      'https://crm.example/contacts?phone=&dnis=%2B33140000000',
    );
  });

  it('gives no URL when nothing matches', () => {
    expect(
      crmUrlResolver([{ queue: 'vip', url: 'https://x/' }], frNormalise)(
        call('0612345678', '0140000000'),
        'support',
      ),
    ).toBeUndefined();
  });
});
