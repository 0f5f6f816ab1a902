import { describe, expect, it } from 'vitest';
import { isRelaisError } from '../../src/errors.js';
import type { NormalisedNumber } from '../../src/model/number.js';
import {
  createNormaliser,
  createRegionLookup,
  FRENCH_REGIONS,
  type NumberPlan,
} from '../../src/numbers/index.js';
import { prng } from '../helpers/prng.js';

const PLANS = {
  FR: { defaultCountry: 'FR', extensionMaxLength: 6 },
  FR0: { defaultCountry: 'FR', extensionMaxLength: 6, outsideLinePrefix: '0' },
  US: { defaultCountry: 'US', extensionMaxLength: 6 },
  US9: { defaultCountry: 'US', extensionMaxLength: 6, outsideLinePrefix: '9' },
  GB: { defaultCountry: 'GB', extensionMaxLength: 6 },
  DE: { defaultCountry: 'DE', extensionMaxLength: 6 },
  BE: { defaultCountry: 'BE', extensionMaxLength: 6 },
  CH: { defaultCountry: 'CH', extensionMaxLength: 6 },
} satisfies Record<string, NumberPlan>;
type PlanName = keyof typeof PLANS;

const normalisers = Object.fromEntries(
  Object.entries(PLANS).map(([name, plan]) => [name, createNormaliser(plan)]),
) as Record<PlanName, ReturnType<typeof createNormaliser>>;

interface Case {
  raw: string;
  /** Defaults to FR. */
  plan?: PlanName;
  /** Fields the result must have; `raw` is always checked on top. */
  want: Partial<Record<string, unknown>> & { kind: NormalisedNumber['kind'] };
}

const FR_MOBILE = {
  kind: 'e164',
  e164: '+33612345678',
  country: 'FR',
  type: 'mobile',
  region: undefined,
} as const;
const PARIS = {
  kind: 'e164',
  e164: '+33142685300',
  country: 'FR',
  type: 'fixed_line',
  region: 'Île-de-France',
} as const;
const LONDON = { kind: 'e164', e164: '+442079460958', country: 'GB', type: 'fixed_line' } as const;
const SF = { kind: 'e164', e164: '+14155552671', country: 'US', type: 'fixed_line_or_mobile' } as const;

const french: Case[] = [
  { raw: '+33 6 12 34 56 78', want: FR_MOBILE },
  { raw: '+33612345678', want: FR_MOBILE },
  { raw: '0612345678', want: FR_MOBILE },
  { raw: '06 12 34 56 78', want: FR_MOBILE },
  { raw: '06.12.34.56.78', want: FR_MOBILE },
  { raw: '06-12-34-56-78', want: FR_MOBILE },
  { raw: '  0612345678\t', want: FR_MOBILE },
  { raw: '0033612345678', want: FR_MOBILE },
  { raw: '00 33 6 12 34 56 78', want: FR_MOBILE },
  { raw: '+33 (0)6 12 34 56 78', want: FR_MOBILE },
  { raw: '01 42 68 53 00', want: PARIS },
  { raw: '+33 (0)1 42 68 53 00', want: PARIS },
  { raw: '(01) 42.68.53.00', want: PARIS },
  {
    raw: '02 99 12 34 56',
    want: { kind: 'e164', e164: '+33299123456', type: 'fixed_line', region: 'Nord-Ouest' },
  },
  {
    raw: '03 88 12 34 56',
    want: { kind: 'e164', e164: '+33388123456', type: 'fixed_line', region: 'Nord-Est' },
  },
  {
    raw: '04 91 12 34 56',
    want: { kind: 'e164', e164: '+33491123456', type: 'fixed_line', region: 'Sud-Est' },
  },
  {
    raw: '05 61 12 34 56',
    want: { kind: 'e164', e164: '+33561123456', type: 'fixed_line', region: 'Sud-Ouest' },
  },
  { raw: '07 56 12 34 56', want: { kind: 'e164', e164: '+33756123456', type: 'mobile', region: undefined } },
  { raw: '09 70 12 34 56', want: { kind: 'e164', e164: '+33970123456', type: 'voip', region: undefined } },
  { raw: '0800 123 456', want: { kind: 'e164', e164: '+33800123456', type: 'toll_free' } },
  { raw: '08 92 68 00 00', want: { kind: 'e164', e164: '+33892680000', type: 'premium_rate' } },
  { raw: '0810 12 34 56', want: { kind: 'e164', e164: '+33810123456', type: 'shared_cost' } },
  // Overseas departments: national form inside the French plan, but their own E.164 country codes.
  {
    raw: '0262 26 12 34',
    want: { kind: 'e164', e164: '+262262261234', country: 'RE', type: 'fixed_line', region: 'La Réunion' },
  },
  {
    raw: '+262 639 40 12 34',
    want: { kind: 'e164', e164: '+262639401234', country: 'YT', type: 'mobile', region: 'Mayotte' },
  },
  {
    raw: '0690 12 34 56',
    want: { kind: 'e164', e164: '+590690123456', country: 'GP', type: 'mobile', region: 'Guadeloupe' },
  },
  {
    raw: '+596 596 30 12 34',
    want: { kind: 'e164', e164: '+596596301234', country: 'MQ', region: 'Martinique' },
  },
];

const uris: Case[] = [
  { raw: 'tel:+33612345678', want: FR_MOBILE },
  { raw: 'tel:+33-1-42-68-53-00;phone-context=+33', want: PARIS },
  { raw: 'sip:+33612345678@sbc.example.net;user=phone', want: FR_MOBILE },
  { raw: 'sip:0612345678;npdi;rn=+33612000000@10.1.2.3:5060', want: FR_MOBILE },
  { raw: 'SIPS:+33612345678@example.com', want: FR_MOBILE },
  { raw: 'sip:+33612345678@example.com?Subject=hi', want: FR_MOBILE },
  { raw: '"Jean Dupont" <sip:+33142685300@pbx.example.fr>;tag=a6c85cf', want: PARIS },
  { raw: '<tel:0142685300>', want: PARIS },
  { raw: '<deviceIdentifier>0142685300</deviceIdentifier>', want: PARIS },
  { raw: 'sip:2001@pbx.local', want: { kind: 'extension', extension: '2001' } },
  { raw: 'tel:2001;phone-context=pbx.example.fr', want: { kind: 'extension', extension: '2001' } },
];

const international: Case[] = [
  { raw: '+44 20 7946 0958', want: LONDON },
  { raw: '0044 20 7946 0958', want: LONDON },
  { raw: '+44 (0)20 7946 0958', want: LONDON },
  { raw: '+44 7400 123456', want: { kind: 'e164', e164: '+447400123456', country: 'GB', type: 'mobile' } },
  { raw: '020 7946 0958', plan: 'GB', want: LONDON },
  { raw: '07400 123456', plan: 'GB', want: { kind: 'e164', e164: '+447400123456', type: 'mobile' } },
  { raw: '00 33 6 12 34 56 78', plan: 'GB', want: FR_MOBILE },
  { raw: '+49 30 123456', want: { kind: 'e164', e164: '+4930123456', country: 'DE', type: 'fixed_line' } },
  { raw: '0049 151 23456789', want: { kind: 'e164', e164: '+4915123456789', country: 'DE', type: 'mobile' } },
  { raw: '+49 (0)30 123456', want: { kind: 'e164', e164: '+4930123456', country: 'DE' } },
  { raw: '030 123456', plan: 'DE', want: { kind: 'e164', e164: '+4930123456', type: 'fixed_line' } },
  { raw: '0151/23456789', plan: 'DE', want: { kind: 'e164', e164: '+4915123456789', type: 'mobile' } },
  { raw: '+32 2 555 12 12', want: { kind: 'e164', e164: '+3225551212', country: 'BE', type: 'fixed_line' } },
  { raw: '02/555.12.12', plan: 'BE', want: { kind: 'e164', e164: '+3225551212', country: 'BE' } },
  { raw: '0470 12 34 56', plan: 'BE', want: { kind: 'e164', e164: '+32470123456', type: 'mobile' } },
  {
    raw: '+41 44 668 18 00',
    want: { kind: 'e164', e164: '+41446681800', country: 'CH', type: 'fixed_line' },
  },
  { raw: '044 668 18 00', plan: 'CH', want: { kind: 'e164', e164: '+41446681800', country: 'CH' } },
  { raw: '079 123 45 67', plan: 'CH', want: { kind: 'e164', e164: '+41791234567', type: 'mobile' } },
  { raw: '+41 (0)79 123 45 67', plan: 'CH', want: { kind: 'e164', e164: '+41791234567', type: 'mobile' } },
  { raw: '+1 415 555 2671', want: SF },
  { raw: '(415) 555-2671', plan: 'US', want: SF },
  { raw: '415.555.2671', plan: 'US', want: SF },
  { raw: '1-415-555-2671', plan: 'US', want: SF },
  { raw: '011 33 6 12 34 56 78', plan: 'US', want: FR_MOBILE },
  { raw: '+1 416 555 0199', want: { kind: 'e164', e164: '+14165550199', country: 'CA' } },
  { raw: '+1 800 555 0199', plan: 'US', want: { kind: 'e164', e164: '+18005550199', type: 'toll_free' } },
  // FR-plan region rules also apply to a French number received by a PBX elsewhere.
  { raw: '011 33 1 42 68 53 00', plan: 'US', want: PARIS },
];

const outsideLine: Case[] = [
  { raw: '00612345678', plan: 'FR0', want: FR_MOBILE },
  { raw: '0 01 42 68 53 00', plan: 'FR0', want: PARIS },
  { raw: '0 0033 6 12 34 56 78', plan: 'FR0', want: FR_MOBILE },
  // Valid as given: the leading 0 is the national prefix, not the outside line.
  { raw: '0612345678', plan: 'FR0', want: FR_MOBILE },
  { raw: '0033612345678', plan: 'FR0', want: FR_MOBILE },
  { raw: '914155552671', plan: 'US9', want: SF },
  { raw: '9 1 415 555 2671', plan: 'US9', want: SF },
  { raw: '94155552671', plan: 'US9', want: SF },
  { raw: '9 011 44 20 7946 0958', plan: 'US9', want: LONDON },
  // 914 is a Westchester area code: valid as given, so the 9 stays.
  { raw: '914 555 0100', plan: 'US9', want: { kind: 'e164', e164: '+19145550100' } },
  // Without an outside-line prefix in the plan, nothing is stripped.
  { raw: '914155552671', plan: 'US', want: { kind: 'unknown', reason: 'invalid number' } },
  { raw: '00612345678', plan: 'FR', want: { kind: 'unknown', reason: 'invalid number' } },
];

const extensions: Case[] = [
  { raw: '2001', want: { kind: 'extension', extension: '2001' } },
  { raw: '123', want: { kind: 'extension', extension: '123' } },
  { raw: '20 01', want: { kind: 'extension', extension: '2001' } },
  { raw: '123456', want: { kind: 'extension', extension: '123456' } },
  { raw: '3949', want: { kind: 'extension', extension: '3949' } },
  { raw: '15', want: { kind: 'extension', extension: '15' } },
  { raw: '112', want: { kind: 'extension', extension: '112' } },
  { raw: '0', want: { kind: 'extension', extension: '0' } },
  { raw: '<deviceIdentifier>2001</deviceIdentifier>', want: { kind: 'extension', extension: '2001' } },
  { raw: '2001', plan: 'US9', want: { kind: 'extension', extension: '2001' } },
  // A + is always a public number: never an extension, and +33 15 is not a valid one.
  { raw: '+3315', want: { kind: 'unknown', reason: 'invalid number' } },
];

const withheld: string[] = [
  'anonymous',
  'Anonymous',
  'ANONYMOUS',
  'restricted',
  'Restricted',
  'private',
  'Private',
  '<restricted/>',
  '<restricted />',
  '<callingDevice><restricted/></callingDevice>',
  'sip:anonymous@anonymous.invalid',
  '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1928301774',
  'sips:anonymous@anonymous.invalid',
  'CLIR',
  'withheld',
  'Withheld',
  'Privacy: id',
  'Privacy: user;id',
  'presentationRestricted',
  'blocked',
  'P',
];

const unavailable: string[] = [
  '',
  ' ',
  '\t \r\n',
  'unavailable',
  'Unavailable',
  'unknown',
  'Unknown',
  'UNKNOWN',
  'notKnown',
  '<notKnown/>',
  '<callingDevice><notKnown/></callingDevice>',
  'notSpecified',
  '<notSpecified/>',
  'notRequired',
  'Not Available',
  'not known',
  'sip:unknown@10.0.0.1',
  'tel:',
  'O',
];

const garbage: Case[] = [
  { raw: 'abc', want: { kind: 'unknown', reason: 'not a number' } },
  { raw: 'hello world', want: { kind: 'unknown', reason: 'not a number' } },
  { raw: 'sip:alice@example.com', want: { kind: 'unknown', reason: 'not a number' } },
  { raw: '06 12 34 56 78 ext. 12', want: { kind: 'unknown', reason: 'not a number' } },
  { raw: '06*12#34', want: { kind: 'unknown', reason: 'unexpected characters' } },
  { raw: '+', want: { kind: 'unknown', reason: 'unexpected characters' } },
  { raw: '++33612345678', want: { kind: 'unknown', reason: 'unexpected characters' } },
  { raw: '٠٦١٢٣٤٥٦٧٨', want: { kind: 'unknown', reason: 'unexpected characters' } },
  { raw: '06 12 34 56 7', want: { kind: 'unknown', reason: 'invalid number' } },
  { raw: '+33 6 12 34 56 78 9', want: { kind: 'unknown', reason: 'invalid number' } },
  { raw: '07 12 34 56 78', want: { kind: 'unknown', reason: 'invalid number' } },
  { raw: '+999 123', want: { kind: 'unknown', reason: 'invalid number' } },
  // Ofcom reserves 07700 900xxx for drama; libphonenumber's max metadata knows it is not in service.
  { raw: '+44 7700 900123', want: { kind: 'unknown', reason: 'invalid number' } },
  { raw: '12345678901234567890123', want: { kind: 'unknown', reason: 'too long' } },
  // libphonenumber calls this German number valid, but +49 and 15 digits is longer than E.164 allows.
  { raw: '+49 30 1234567890123', want: { kind: 'unknown', reason: 'longer than E.164 allows' } },
  { raw: 'P 0612345678', want: { kind: 'unknown', reason: 'not a number' } },
  { raw: '0'.repeat(300), want: { kind: 'unknown', reason: 'too long' } },
];

function check({ raw, plan = 'FR', want }: Case): void {
  const got = normalisers[plan](raw);
  expect(got).toMatchObject({ ...want, raw });
}

describe('createNormaliser', () => {
  it.each(french)('French formats: $raw', check);
  it.each(uris)('tel: and sip: URIs: $raw', check);
  it.each(international)('international: $raw ($plan)', check);
  it.each(outsideLine)('outside-line prefix: $raw ($plan)', check);
  it.each(extensions)('extensions: $raw', check);
  it.each(withheld)('withheld: %j', (raw) => check({ raw, want: { kind: 'withheld' } }));
  it.each(unavailable)('unavailable: %j', (raw) => check({ raw, want: { kind: 'unavailable' } }));
  it.each(garbage)('garbage: $raw', check);

  it('returns exactly the model fields for an E.164 number', () => {
    expect(normalisers.FR('01 42 68 53 00')).toStrictEqual({
      kind: 'e164',
      e164: '+33142685300',
      country: 'FR',
      type: 'fixed_line',
      region: 'Île-de-France',
      raw: '01 42 68 53 00',
    });
    expect(normalisers.FR('2001')).toStrictEqual({ kind: 'extension', extension: '2001', raw: '2001' });
  });

  it('treats null and undefined as unavailable, and a non-string as unknown', () => {
    expect(normalisers.FR(null)).toStrictEqual({ kind: 'unavailable', raw: '' });
    expect(normalisers.FR(undefined)).toStrictEqual({ kind: 'unavailable', raw: '' });
    const fromJs = normalisers.FR as (raw: unknown) => NormalisedNumber;
    expect(fromJs(33612345678)).toMatchObject({ kind: 'unknown', reason: 'not a string' });
    expect(fromJs({ toString: () => '0612345678' })).toMatchObject({ kind: 'unknown' });
  });

  it('uses extensionPattern, anchored to the whole number', () => {
    const n = createNormaliser({
      defaultCountry: 'FR',
      extensionMaxLength: 0,
      extensionPattern: '[1-4]\\d{3}',
    });
    expect(n('2001')).toMatchObject({ kind: 'extension', extension: '2001' });
    // 4 digits outside the pattern, with the length rule off: a (bad) public number, not an extension.
    expect(n('5001')).toMatchObject({ kind: 'unknown', reason: 'invalid number' });
    expect(n('0142685300')).toMatchObject({ kind: 'e164', e164: '+33142685300' });
    // Long internal numbers can be extensions through the pattern alone.
    const long = createNormaliser({
      defaultCountry: 'FR',
      extensionMaxLength: 4,
      extensionPattern: '88\\d{6}',
    });
    expect(long('88001234')).toMatchObject({ kind: 'extension', extension: '88001234' });
    expect(long('123456')).toMatchObject({ kind: 'unknown' });
  });

  it('uses the plan regions, FRENCH_REGIONS by default, none with []', () => {
    const custom = createNormaliser({
      defaultCountry: 'FR',
      extensionMaxLength: 6,
      regions: [
        { name: 'Paris', prefixes: ['+3314'] },
        { name: 'Mobiles FR', prefixes: ['+336', '+337'] },
      ],
    });
    expect(custom('01 42 68 53 00')).toMatchObject({ region: 'Paris' });
    expect(custom('06 12 34 56 78')).toMatchObject({ region: 'Mobiles FR' });
    expect(custom('02 99 12 34 56')).toMatchObject({ kind: 'e164', region: undefined });
    const none = createNormaliser({ defaultCountry: 'FR', extensionMaxLength: 6, regions: [] });
    expect(none('01 42 68 53 00')).toMatchObject({ kind: 'e164', region: undefined });
  });

  it('defaults extensionMaxLength to 6 when a JavaScript caller leaves it out', () => {
    const n = createNormaliser({ defaultCountry: 'fr' } as NumberPlan);
    expect(n('123456')).toMatchObject({ kind: 'extension' });
    expect(n('1234567')).toMatchObject({ kind: 'unknown' });
  });

  it.each([
    [{ defaultCountry: 'XX', extensionMaxLength: 6 }, 'numbers.defaultCountry'],
    [{ defaultCountry: '', extensionMaxLength: 6 }, 'numbers.defaultCountry'],
    [{ defaultCountry: 'FR', extensionMaxLength: -1 }, 'numbers.extensionMaxLength'],
    [{ defaultCountry: 'FR', extensionMaxLength: 2.5 }, 'numbers.extensionMaxLength'],
    [{ defaultCountry: 'FR', extensionMaxLength: 6, outsideLinePrefix: 'a' }, 'numbers.outsideLinePrefix'],
    [{ defaultCountry: 'FR', extensionMaxLength: 6, extensionPattern: '(' }, 'numbers.extensionPattern'],
    [{ defaultCountry: 'FR', extensionMaxLength: 6, regions: [{ name: 'X', prefixes: ['33'] }] }, undefined],
  ] as [NumberPlan, string | undefined][])('refuses a bad plan at start-up: %j', (plan, key) => {
    let error: unknown;
    try {
      createNormaliser(plan);
    } catch (e) {
      error = e;
    }
    expect(isRelaisError(error, 'RELAIS_ERR_CONFIG_INVALID')).toBe(true);
    if (key !== undefined) expect((error as { details: unknown }).details).toEqual({ key });
  });
});

describe('createRegionLookup', () => {
  const lookup = createRegionLookup(FRENCH_REGIONS);

  it('picks the longest matching prefix', () => {
    expect(lookup('+262262261234')).toBe('La Réunion');
    expect(lookup('+262269601234')).toBe('Mayotte');
    expect(lookup('+262639401234')).toBe('Mayotte');
    expect(lookup('+33142685300')).toBe('Île-de-France');
  });

  it('returns undefined when nothing matches, even for inputs shorter than every prefix', () => {
    expect(lookup('+33612345678')).toBeUndefined();
    expect(lookup('+14155552671')).toBeUndefined();
    expect(lookup('+3')).toBeUndefined();
    expect(lookup('')).toBeUndefined();
    expect(createRegionLookup([])('+33142685300')).toBeUndefined();
  });

  it('accepts the same prefix twice in one region but not in two', () => {
    expect(createRegionLookup([{ name: 'A', prefixes: ['+331', '+331'] }])('+3312')).toBe('A');
    expect(() =>
      createRegionLookup([
        { name: 'A', prefixes: ['+331'] },
        { name: 'B', prefixes: ['+331'] },
      ]),
    ).toThrow(/both A and B/);
  });

  it.each(['331', '+', '+0331', '+33 1', '+1234567890123456'])('refuses the prefix %j', (prefix) => {
    expect(() => createRegionLookup([{ name: 'X', prefixes: [prefix] }])).toThrow(/bad prefix/);
  });
});

const PHONEISH = '0123456789+ .-()/;@:<>"tel:sip:x#*';

function pick(next: () => number, chars: string): string {
  return chars.charAt(Math.floor(next() * chars.length));
}

/** Random characters: mostly phone punctuation and digits, sometimes any UTF-16 code unit. */
function randomChars(next: () => number): string {
  const length = Math.floor(next() * (next() < 0.05 ? 400 : 40));
  const phoneish = next() < 0.6;
  let s = '';
  for (let i = 0; i < length; i++) {
    s += phoneish
      ? pick(next, PHONEISH)
      : String.fromCharCode(Math.floor(next() * (next() < 0.8 ? 0x80 : 0x10000)));
  }
  return s;
}

/** Number-shaped strings (a prefix, 4 to 16 digits, separators), so the libphonenumber path runs too. */
function randomNumberLike(next: () => number): string {
  let s = pick(next, '+0+09');
  const digits = 4 + Math.floor(next() * 13);
  for (let i = 0; i < digits; i++) s += pick(next, '0123456789') + (next() < 0.2 ? pick(next, ' .-') : '');
  return s;
}

function randomString(next: () => number): string {
  return next() < 0.7 ? randomChars(next) : randomNumberLike(next);
}

describe('fuzz', () => {
  const KINDS = new Set(['e164', 'extension', 'withheld', 'unavailable', 'unknown']);

  it.each(Object.keys(PLANS) as PlanName[])('never throws on random strings (%s plan)', (plan) => {
    const next = prng(0x5eed + plan.length);
    const normalise = normalisers[plan];
    const kindsSeen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const raw = randomString(next);
      const got = normalise(raw);
      kindsSeen.add(got.kind);
      expect(KINDS.has(got.kind)).toBe(true);
      expect(got.raw).toBe(raw);
      if (got.kind === 'e164') expect(got.e164).toMatch(/^\+[1-9]\d{1,14}$/);
      if (got.kind === 'extension') expect(got.extension).toMatch(/^\d{1,6}$/);
      if (got.kind === 'unknown') expect(got.reason).not.toBe('internal error');
    }
    // The generator must reach beyond the garbage branch for the test to mean something.
    for (const kind of ['e164', 'extension', 'unavailable', 'unknown'])
      expect([...kindsSeen]).toContain(kind);
  });
});
