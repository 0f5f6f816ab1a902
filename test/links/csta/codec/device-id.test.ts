/**
 * Device identifiers as switches send them, through rawNumberOf and the real number normaliser
 * with a French and a German plan: what kind of number each one is and its E.164 form.
 */
import { describe, expect, it } from 'vitest';
import { decodeCsta, deviceKey, displayNameOf, rawNumberOf } from '../../../../src/links/csta/codec/index.js';
import type { DeviceRef } from '../../../../src/links/csta/messages.js';
import type { NormalisedNumber } from '../../../../src/model/number.js';
import { createNormaliser } from '../../../../src/numbers/index.js';
import { EVENT_FIXTURES } from './fixtures.js';

const normalise = {
  FR: createNormaliser({ defaultCountry: 'FR', extensionMaxLength: 6 }),
  DE: createNormaliser({ defaultCountry: 'DE', extensionMaxLength: 6 }),
};

/** The kind, and the E.164 or extension when there is one. */
function summary(n: NormalisedNumber): string {
  if (n.kind === 'e164') return `e164 ${n.e164}`;
  if (n.kind === 'extension') return `extension ${n.extension}`;
  return n.kind;
}

interface Row {
  vendor: string;
  ref: DeviceRef | undefined;
  raw: string | undefined;
  FR: string;
  DE: string;
}

const id = (s: string): DeviceRef => ({ id: s });

const TABLE: readonly Row[] = [
  { vendor: 'extension', ref: id('2001'), raw: '2001', FR: 'extension 2001', DE: 'extension 2001' },
  {
    vendor: 'Alcatel 5-digit extension',
    ref: id('35001'),
    raw: '35001',
    FR: 'extension 35001',
    DE: 'extension 35001',
  },
  {
    vendor: 'E.164',
    ref: id('+4930123456'),
    raw: '+4930123456',
    FR: 'e164 +4930123456',
    DE: 'e164 +4930123456',
  },
  {
    vendor: 'French national mobile',
    ref: id('0612345678'),
    raw: '0612345678',
    FR: 'e164 +33612345678',
    DE: 'e164 +49612345678',
  },
  {
    vendor: 'French national, Paris',
    ref: id('0142685300'),
    raw: '0142685300',
    FR: 'e164 +33142685300',
    DE: 'unknown',
  },
  {
    vendor: 'German national, Berlin',
    ref: id('030123456'),
    raw: '030123456',
    FR: 'unknown',
    DE: 'e164 +4930123456',
  },
  {
    vendor: 'German mobile with a space',
    ref: id('0171 2345678'),
    raw: '0171 2345678',
    FR: 'unknown',
    DE: 'e164 +491712345678',
  },
  {
    vendor: 'international prefix 00',
    ref: id('0033612345678'),
    raw: '0033612345678',
    FR: 'e164 +33612345678',
    DE: 'e164 +33612345678',
  },
  {
    vendor: 'international prefix 00, German',
    ref: id('004930123456'),
    raw: '004930123456',
    FR: 'e164 +4930123456',
    DE: 'e164 +4930123456',
  },
  {
    vendor: 'Unify N<…> with parameters',
    ref: id('N<+4930123456>;displayNumber=Hans;noa=international'),
    raw: '+4930123456',
    FR: 'e164 +4930123456',
    DE: 'e164 +4930123456',
  },
  {
    vendor: 'Unify N<…> French',
    ref: id('N<+33142685300>'),
    raw: '+33142685300',
    FR: 'e164 +33142685300',
    DE: 'e164 +33142685300',
  },
  {
    vendor: 'Unify N<…> national',
    ref: id('N<0612345678>'),
    raw: '0612345678',
    FR: 'e164 +33612345678',
    DE: 'e164 +49612345678',
  },
  {
    vendor: 'Unify N<…> extension',
    ref: id('N<2001>;displayNumber=2001'),
    raw: '2001',
    FR: 'extension 2001',
    DE: 'extension 2001',
  },
  {
    vendor: 'Unify N<…> with spaces',
    ref: id('N<+49 (30) 123456>'),
    raw: '+49 (30) 123456',
    FR: 'e164 +4930123456',
    DE: 'e164 +4930123456',
  },
  { vendor: 'Unify N<> empty', ref: id('N<>;displayNumber='), raw: '', FR: 'unavailable', DE: 'unavailable' },
  {
    vendor: '<…> without N',
    ref: id('<+33612345678>'),
    raw: '+33612345678',
    FR: 'e164 +33612345678',
    DE: 'e164 +33612345678',
  },
  {
    vendor: 'plain number with parameters',
    ref: id('2001;displayNumber=Agent 2001'),
    raw: '2001',
    FR: 'extension 2001',
    DE: 'extension 2001',
  },
  { vendor: 'padded', ref: id('  2001  '), raw: '2001', FR: 'extension 2001', DE: 'extension 2001' },
  {
    vendor: 'SIP URI (OpenScape Voice)',
    ref: id('sip:+4930123456@osv.example.com;user=phone'),
    raw: 'sip:+4930123456@osv.example.com',
    FR: 'e164 +4930123456',
    DE: 'e164 +4930123456',
  },
  {
    vendor: 'tel URI',
    ref: id('tel:+33612345678'),
    raw: 'tel:+33612345678',
    FR: 'e164 +33612345678',
    DE: 'e164 +33612345678',
  },
  {
    vendor: 'SIP name-addr from a gateway',
    ref: id('"Hans Müller" <sip:+4989765432@sbc.example.com>'),
    raw: 'sip:+4989765432@sbc.example.com',
    FR: 'e164 +4989765432',
    DE: 'e164 +4989765432',
  },
  { vendor: 'anonymous as text', ref: id('anonymous'), raw: 'anonymous', FR: 'withheld', DE: 'withheld' },
  { vendor: 'empty identifier', ref: id(''), raw: '', FR: 'unavailable', DE: 'unavailable' },
  {
    vendor: '<restricted/>',
    ref: { choice: 'restricted' },
    raw: 'restricted',
    FR: 'withheld',
    DE: 'withheld',
  },
  {
    vendor: '<notKnown/>',
    ref: { choice: 'notKnown' },
    raw: 'unavailable',
    FR: 'unavailable',
    DE: 'unavailable',
  },
  {
    vendor: '<notSpecified/>',
    ref: { choice: 'notSpecified' },
    raw: 'unavailable',
    FR: 'unavailable',
    DE: 'unavailable',
  },
  {
    vendor: '<notRequired/>',
    ref: { choice: 'notRequired' },
    raw: 'unavailable',
    FR: 'unavailable',
    DE: 'unavailable',
  },
  { vendor: 'no device element', ref: undefined, raw: undefined, FR: 'unavailable', DE: 'unavailable' },
];

describe('rawNumberOf through the number normaliser', () => {
  it('has at least twenty vendor forms', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(20);
  });

  it.each(TABLE.map((row) => [row.vendor, row] as const))('%s', (_vendor, row) => {
    const raw = rawNumberOf(row.ref);
    expect(raw).toBe(row.raw);
    expect(summary(normalise.FR(raw))).toBe(row.FR);
    expect(summary(normalise.DE(raw))).toBe(row.DE);
  });

  it('keeps leading zeros: the normaliser, not the codec, reads the number', () => {
    expect(rawNumberOf({ id: '0612345678' })).toBe('0612345678');
    expect(rawNumberOf({ id: '00612345678' })).toBe('00612345678');
    expect(rawNumberOf({ id: 'N<007>' })).toBe('007');
  });

  it('takes a decoded Unify DeliveredEvent to an E.164 caller with a name', () => {
    const result = decodeCsta(EVENT_FIXTURES[0]?.xml ?? '');
    if (!result.ok || result.message.type !== 'Event') throw new Error('fixture does not decode');
    const calling = result.message.event.callingDevice;
    expect(normalise.DE(rawNumberOf(calling))).toMatchObject({
      kind: 'e164',
      e164: '+4989765432',
      country: 'DE',
    });
    expect(displayNameOf(calling)).toBe('Hans Müller');
    expect(summary(normalise.DE(rawNumberOf(result.message.event.calledDevice)))).toBe('e164 +4930123452000');
  });

  it('takes a decoded Alcatel DeliveredEvent to a French mobile', () => {
    const result = decodeCsta(EVENT_FIXTURES[1]?.xml ?? '');
    if (!result.ok || result.message.type !== 'Event') throw new Error('fixture does not decode');
    expect(normalise.FR(rawNumberOf(result.message.event.callingDevice))).toMatchObject({
      kind: 'e164',
      e164: '+33612345678',
      type: 'mobile',
    });
  });
});

describe('displayNameOf', () => {
  it.each([
    ['N<+4930123456>;displayNumber=Hans', 'Hans'],
    ['N<+4930123456>;displayName="Müller, Hans";displayNumber=+4930123456', 'Müller, Hans'],
    ['N<+4930123456>;displayNumber=%22Hans%20M%C3%BCller%22', 'Hans Müller'],
    ['N<+4930123456>;displayNumber=100%', '100%'],
    ['N<+4930123456>;DISPLAYNAME=Erika', 'Erika'],
    ['N<+4930123456>;displayName="say \\"hi\\""', 'say "hi"'],
    ['2001;displayNumber=Agent 2001;noa=x', 'Agent 2001'],
    ['"Hans Müller" <sip:+4989765432@sbc>', 'Hans Müller'],
    ['N<+4930123456>;displayNumber=', undefined],
    ['N<+4930123456>;noa=international', undefined],
    ['+4930123456', undefined],
  ])('%s → %j', (raw, want) => {
    expect(displayNameOf({ id: raw })).toBe(want);
  });

  it('has nothing for choices and absent devices', () => {
    expect(displayNameOf({ choice: 'restricted' })).toBeUndefined();
    expect(displayNameOf(undefined)).toBeUndefined();
  });
});

describe('deviceKey', () => {
  it.each([
    ['2001', '2001'],
    [' 2001 ', '2001'],
    ['2001;displayNumber=Agent', '2001'],
    ['N<2001>;displayNumber=2001', '2001'],
    ['N<+4930123452001>', '+4930123452001'],
    ['sip:2001@pbx;transport=tcp', 'sip:2001@pbx'],
  ])('%s → %s', (raw, want) => {
    expect(deviceKey({ id: raw })).toBe(want);
  });

  it('names no device for a choice', () => {
    expect(deviceKey({ choice: 'notKnown' })).toBeUndefined();
  });
});
