/**
 * ANI/DNIS normaliser: turns whatever a PBX link hands over (`0612345678`, `tel:+33…;npdi`,
 * `<restricted/>`, `anonymous`) into a NormalisedNumber. Pure and never throwing: it runs on every
 * call event, and a bad number must degrade to `kind: 'unknown'`, never break the event.
 *
 * Validation and E.164 formatting are libphonenumber's (the `max` metadata, which knows number types
 * and exact ranges); this module only removes the PBX noise around the number and decides what is
 * not a public number at all (hidden callers, internal extensions).
 */
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumberType as LibPhoneNumberType,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { RelaisError } from '../errors.js';
import type { NormalisedNumber, PhoneNumberType } from '../model/number.js';
import { createRegionLookup, FRENCH_REGIONS, type RegionLookup, type RegionRule } from './regions.js';

/** How the PBX behind a link writes numbers. */
export interface NumberPlan {
  /** ISO 3166-1 alpha-2 country of the PBX (`'FR'`): numbers in national form are read in its plan. */
  defaultCountry: string;
  /** The digit(s) some PBXs put before an external number (`'0'`, `'9'`). */
  outsideLinePrefix?: string;
  /** Numbers of this many digits or fewer are internal extensions (default 6; 0 turns the rule off). */
  extensionMaxLength: number;
  /** Regex source; a number (digits only, formatting removed) matching it whole is an extension. */
  extensionPattern?: string;
  /** Region table, longest prefix wins. Defaults to FRENCH_REGIONS; `[]` turns regions off. */
  regions?: readonly RegionRule[];
}

export type Normaliser = (raw: string | null | undefined) => NormalisedNumber;

export const DEFAULT_EXTENSION_MAX_LENGTH = 6;

/** Longer inputs are refused before any regex runs, so a hostile string costs nothing. */
const MAX_RAW_LENGTH = 256;
/** E.164 caps a number at 15 digits; leave room for an international prefix (011) and an outside line. */
const MAX_DIGITS = 20;
/** `+` and at most 15 digits (ITU-T E.164 §6.1). */
const MAX_E164_LENGTH = 16;

/** Words meaning "the caller hid their number": CLIR, RFC 3323 Privacy, CSTA `restricted`. */
const WITHHELD_WORDS = new Set([
  'anonymous',
  'restricted',
  'private',
  'privacy',
  'clir',
  'withheld',
  'blocked',
  'hidden',
  'presentationrestricted',
]);

/** Words meaning "the network has no number": CSTA `notKnown`, ISUP "not available", caller ID O. */
const UNAVAILABLE_WORDS = new Set([
  'unavailable',
  'unknown',
  'notknown',
  'notspecified',
  'notrequired',
  'notavailable',
  'outofarea',
]);

/**
 * North American caller ID (Telcordia GR-30) sends a lone `P` (private) or `O` (out of area).
 * Only the whole value counts: a stray `p` inside some other text means nothing.
 */
const CALLER_ID_CODES: ReadonlyMap<string, 'withheld' | 'unavailable'> = new Map([
  ['p', 'withheld'],
  ['o', 'unavailable'],
]);

const HAS_LETTER = /[a-z]/i;
const NON_LETTERS = /[^a-z]+/;
/** A SIP/tel URI inside angle brackets (SIP name-addr, RFC 3261 §25.1). */
const NAME_ADDR = /<((?:sips?|tel):[^>]*)>/i;
const XML_TAG = /<[^>]*>/g;
/** Visual separators allowed in a phone number (RFC 3966 §5.1.1 plus what people type). */
const SEPARATORS = /[\s.\-()/\u2010-\u2015]/g;
const DIALLABLE = /^\+?\d+$/;

/** libphonenumber's getType() in the model's snake case (model/number.ts). */
const TYPE_NAMES: Record<LibPhoneNumberType, PhoneNumberType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed_line',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile',
  TOLL_FREE: 'toll_free',
  PREMIUM_RATE: 'premium_rate',
  SHARED_COST: 'shared_cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal_number',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

/**
 * The French overseas departments are dialled inside the French national plan (0262…, 0590…) but
 * have their own E.164 country codes, which libphonenumber cannot guess from a national number.
 * One country per calling code is enough: libphonenumber then picks e.g. YT over RE by leading digits.
 */
const FRENCH_NATIONAL_PLAN: readonly CountryCode[] = ['FR', 'RE', 'GP', 'GF', 'MQ'];
const FRENCH_PLAN_MEMBERS = new Set<string>([...FRENCH_NATIONAL_PLAN, 'YT', 'BL', 'MF']);

/** Other countries sharing the default country's national plan (only the French one needs this). */
function nationalPlanSiblings(country: CountryCode): readonly CountryCode[] {
  if (!FRENCH_PLAN_MEMBERS.has(country)) return [];
  return FRENCH_NATIONAL_PLAN.filter((c) => !sameCallingCode(c, country));
}

function sameCallingCode(a: CountryCode, b: CountryCode): boolean {
  const group = (c: CountryCode) => (c === 'YT' ? 'RE' : c === 'BL' || c === 'MF' ? 'GP' : c);
  return group(a) === group(b);
}

/** What createNormaliser prepares once, so the per-call path only reads it. */
interface CompiledPlan {
  defaultCountry: CountryCode;
  siblings: readonly CountryCode[];
  outsideLinePrefix: string | undefined;
  extensionMaxLength: number;
  extensionPattern: RegExp | undefined;
  regionOf: RegionLookup;
}

function invalidPlan(key: string, message: string, cause?: unknown): RelaisError {
  return new RelaisError('RELAIS_ERR_CONFIG_INVALID', `numbers.${key}: ${message}`, {
    cause,
    details: { key: `numbers.${key}` },
  });
}

function compileCountry(value: unknown): CountryCode {
  const country = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!isSupportedCountry(country)) {
    throw invalidPlan('defaultCountry', `${JSON.stringify(value)} is not an ISO 3166-1 alpha-2 country`);
  }
  return country;
}

function compileOutsideLinePrefix(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value)) {
    throw invalidPlan('outsideLinePrefix', `${JSON.stringify(value)} is not 1 to 4 digits`);
  }
  return value;
}

function compileExtensionMaxLength(value: number | undefined): number {
  const length = value ?? DEFAULT_EXTENSION_MAX_LENGTH;
  if (!Number.isInteger(length) || length < 0 || length > 15) {
    throw invalidPlan('extensionMaxLength', `${JSON.stringify(value)} is not an integer from 0 to 15`);
  }
  return length;
}

function compileExtensionPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined || source === '') return undefined;
  try {
    // Anchored: a pattern like `2\d{3}` must not match inside a longer public number.
    return new RegExp(`^(?:${source})$`);
  } catch (e) {
    throw invalidPlan('extensionPattern', `${JSON.stringify(source)} is not a valid regex`, e);
  }
}

function compilePlan(plan: NumberPlan): CompiledPlan {
  const defaultCountry = compileCountry(plan.defaultCountry);
  return {
    defaultCountry,
    siblings: nationalPlanSiblings(defaultCountry),
    outsideLinePrefix: compileOutsideLinePrefix(plan.outsideLinePrefix),
    extensionMaxLength: compileExtensionMaxLength(plan.extensionMaxLength),
    extensionPattern: compileExtensionPattern(plan.extensionPattern),
    regionOf: createRegionLookup(plan.regions ?? FRENCH_REGIONS),
  };
}

/** The user part of a `sip:`/`sips:`/`tel:` URI (RFC 3261 §19.1, RFC 3966), without params or host. */
function uriUserPart(s: string): string {
  const colon = s.indexOf(':');
  if (colon < 3 || colon > 4) return s;
  const scheme = s.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return s;
  let user = s.slice(colon + 1);
  const at = user.indexOf('@');
  if (at !== -1) user = user.slice(0, at);
  const param = user.search(/[;?]/);
  return param === -1 ? user : user.slice(0, param);
}

/**
 * Unwraps angle brackets: a SIP name-addr gives its URI; XML-ish CSTA values (`<deviceIdentifier>
 * 2001</…>`) give their text, or, when empty (`<restricted/>`), the tags themselves for word matching.
 */
function unwrapAngles(s: string): string {
  const uri = NAME_ADDR.exec(s);
  if (uri?.[1] !== undefined) return uri[1];
  const text = s.replace(XML_TAG, ' ').trim();
  return text === '' ? s : text;
}

/** The part of the raw value that should hold the number or the privacy word. */
function addressPart(raw: string): string {
  const s = raw.includes('<') ? unwrapAngles(raw.trim()) : raw.trim();
  return uriUserPart(s).trim();
}

/** withheld/unavailable from words like `Anonymous`, `<notKnown/>`, `Privacy: id`; else undefined. */
function hiddenKind(text: string): 'withheld' | 'unavailable' | undefined {
  const lower = text.toLowerCase();
  const code = CALLER_ID_CODES.get(lower);
  if (code !== undefined) return code;
  const words = lower.split(NON_LETTERS).filter((w) => w !== '');
  if (words.some((w) => WITHHELD_WORDS.has(w))) return 'withheld';
  if (words.some((w) => UNAVAILABLE_WORDS.has(w))) return 'unavailable';
  // Multi-word spellings: "not known", "Not Available", "out of area".
  const compact = words.join('');
  if (WITHHELD_WORDS.has(compact)) return 'withheld';
  if (UNAVAILABLE_WORDS.has(compact)) return 'unavailable';
  return undefined;
}

function unknown(raw: string, reason: string): NormalisedNumber {
  return { kind: 'unknown', raw, reason };
}

/** Parses with libphonenumber and keeps only numbers valid in its metadata (not merely possible). */
function validNumber(text: string, country: CountryCode): PhoneNumber | undefined {
  const n = parsePhoneNumberFromString(text, country);
  return n?.isValid() ? n : undefined;
}

/**
 * The default country first, then its national-plan siblings. Siblings are tried only for the
 * national form (trunk prefix 0, not the 00 international prefix): every member of the French plan
 * uses those, and international input means the same whatever the country.
 */
function parseInPlan(text: string, plan: CompiledPlan): PhoneNumber | undefined {
  const n = validNumber(text, plan.defaultCountry);
  if (n !== undefined || plan.siblings.length === 0 || !isFrenchNationalForm(text)) return n;
  for (const country of plan.siblings) {
    const sibling = validNumber(text, country);
    if (sibling !== undefined) return sibling;
  }
  return undefined;
}

function isFrenchNationalForm(digits: string): boolean {
  return digits.startsWith('0') && !digits.startsWith('00');
}

/**
 * A number as the PBX gave it, else without the outside-line prefix: stripped only when the number
 * with it is not valid and the rest is, since `0` is also the French national prefix.
 */
function parseDialled(digits: string, plan: CompiledPlan): PhoneNumber | undefined {
  const asGiven = parseInPlan(digits, plan);
  if (asGiven !== undefined || plan.outsideLinePrefix === undefined) return asGiven;
  if (!digits.startsWith(plan.outsideLinePrefix)) return undefined;
  return parseInPlan(digits.slice(plan.outsideLinePrefix.length), plan);
}

function isExtension(digits: string, plan: CompiledPlan): boolean {
  return digits.length <= plan.extensionMaxLength || plan.extensionPattern?.test(digits) === true;
}

function e164Result(n: PhoneNumber, raw: string, plan: CompiledPlan): NormalisedNumber {
  const type = n.getType();
  return {
    kind: 'e164',
    e164: n.number,
    country: n.country,
    type: type === undefined ? 'unknown' : TYPE_NAMES[type],
    region: plan.regionOf(n.number),
    raw,
  };
}

/** From here on the value holds no letters: digits, `+` and separators, or garbage. */
function normaliseDigits(text: string, raw: string, plan: CompiledPlan): NormalisedNumber {
  const cleaned = text.replace(SEPARATORS, '');
  if (!DIALLABLE.test(cleaned)) return unknown(raw, 'unexpected characters');
  const international = cleaned.startsWith('+');
  const digits = international ? cleaned.slice(1) : cleaned;
  if (digits.length > MAX_DIGITS) return unknown(raw, 'too long');
  if (!international && isExtension(digits, plan)) return { kind: 'extension', extension: digits, raw };
  const n = international ? validNumber(cleaned, plan.defaultCountry) : parseDialled(digits, plan);
  if (n === undefined) return unknown(raw, 'invalid number');
  // libphonenumber accepts German numbers of up to 15 national digits (+49 and 15 = 17), beyond E.164.
  if (n.number.length > MAX_E164_LENGTH) return unknown(raw, 'longer than E.164 allows');
  return e164Result(n, raw, plan);
}

function normaliseString(raw: string, plan: CompiledPlan): NormalisedNumber {
  if (raw.length > MAX_RAW_LENGTH) return unknown(raw, 'too long');
  const address = addressPart(raw);
  if (address === '') return { kind: 'unavailable', raw };
  if (HAS_LETTER.test(address)) {
    const hidden = hiddenKind(address);
    return hidden === undefined ? unknown(raw, 'not a number') : { kind: hidden, raw };
  }
  return normaliseDigits(address, raw, plan);
}

/**
 * Prepares a normaliser for one PBX's number plan. Throws RELAIS_ERR_CONFIG_INVALID at start-up for a
 * bad plan; the returned function never throws.
 */
export function createNormaliser(plan: NumberPlan): Normaliser {
  const compiled = compilePlan(plan);
  // One call's numbers are normalised by the tracker, the router and the directory alike, and a
  // DNIS recurs on every call: remember recent answers (frozen, since they are shared).
  const recent = new Map<string, NormalisedNumber>();
  return (raw) => {
    if (raw === null || raw === undefined) return { kind: 'unavailable', raw: '' };
    // Links are JavaScript too: a number or object slipping through must not reach string methods.
    if (typeof raw !== 'string') return unknown('', 'not a string');
    const known = recent.get(raw);
    if (known) return known;
    const n = Object.freeze(normaliseSafely(raw, compiled));
    if (recent.size >= MEMO_SIZE) recent.clear();
    recent.set(raw, n);
    return n;
  };
}

/** Raw strings whose answer is remembered; cleared wholesale when full (cheap, and bounded). */
const MEMO_SIZE = 10_000;

function normaliseSafely(raw: string, compiled: CompiledPlan): NormalisedNumber {
  try {
    return normaliseString(raw, compiled);
  } catch {
    // libphonenumber does not throw for the inputs we pass it; this is the last line of defence.
    return unknown(raw, 'internal error');
  }
}
