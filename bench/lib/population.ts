/**
 * The synthetic customer base: N customers with French mobile and landline numbers, generated
 * from a seed so that every run (and both stores) sees exactly the same data.
 *
 * About 1.2 numbers per customer: 80% have one, 20% have two (a mobile and a landline). A few
 * households share a landline, as they do in real directories. Unknown numbers are drawn from the
 * same plan and guaranteed to belong to nobody.
 */
import type { CustomerInput } from '../../src/customers/directory.js';
import { createRng, pick, type Rng, randomInt } from './rng.js';

export interface Population {
  customers: number;
  /** Customer i's numbers are phoneNumbers[phoneOffsets[i] .. phoneOffsets[i + 1]). */
  phoneOffsets: Uint32Array;
  phoneNumbers: string[];
  /** Distinct numbers that belong to at least one customer. */
  known: string[];
  /** Distinct numbers that belong to no customer. */
  unknown: string[];
  /** Phone rows repeating a number another customer already has (shared landlines). */
  sharedRows: number;
}

export interface PopulationOptions {
  customers: number;
  seed: number;
  /** How many unknown numbers to draw, in proportion to the known ones. */
  unknownRatio: number;
}

const TWO_PHONES = 0.2;
const MOBILE_FIRST = 0.7;
const SHARED_LANDLINE = 0.02;
const VIP = 0.1;

/**
 * Three-digit prefixes after +33 that libphonenumber accepts as valid (its `max` metadata):
 * 06 and 07 mobiles, 01–05 geographic numbers, leaving out the unallocated blocks.
 */
const MOBILE_PREFIXES = prefixes(['6', '7'], (p) => !/^6(39|9[0-4679])$|^7[0-2]/.test(p));
const LANDLINE_PREFIXES = prefixes(['1', '2', '3', '4', '5'], (p) => !/^262$|^40|^59[04]$/.test(p));

function prefixes(leads: string[], keep: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const lead of leads) {
    for (let i = 0; i < 100; i++) {
      const p = `${lead}${String(i).padStart(2, '0')}`;
      if (keep(p)) out.push(p);
    }
  }
  return out;
}

function randomNumber(rng: Rng, mobile: boolean): string {
  const prefix = pick(rng, mobile ? MOBILE_PREFIXES : LANDLINE_PREFIXES);
  return `+33${prefix}${String(randomInt(rng, 1_000_000)).padStart(6, '0')}`;
}

/** A number nobody in `taken` has yet; it is added to `taken`. */
function freshNumber(rng: Rng, mobile: boolean, taken: Set<string>): string {
  for (;;) {
    const n = randomNumber(rng, mobile);
    if (!taken.has(n)) {
      taken.add(n);
      return n;
    }
  }
}

export function generatePopulation(opts: PopulationOptions): Population {
  const rng = createRng(opts.seed);
  const taken = new Set<string>();
  const phoneOffsets = new Uint32Array(opts.customers + 1);
  const phoneNumbers: string[] = [];
  let lastLandline: string | undefined;
  let sharedRows = 0;
  for (let i = 0; i < opts.customers; i++) {
    phoneOffsets[i] = phoneNumbers.length;
    const mobileFirst = rng() < MOBILE_FIRST;
    const count = rng() < TWO_PHONES ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const mobile = k === 0 ? mobileFirst : !mobileFirst;
      if (!mobile && lastLandline !== undefined && rng() < SHARED_LANDLINE) {
        phoneNumbers.push(lastLandline);
        sharedRows++;
        continue;
      }
      const n = freshNumber(rng, mobile, taken);
      if (!mobile) lastLandline = n;
      phoneNumbers.push(n);
    }
  }
  phoneOffsets[opts.customers] = phoneNumbers.length;
  const known = [...taken];
  const unknown = Array.from({ length: Math.round(known.length * opts.unknownRatio) }, () =>
    freshNumber(rng, rng() < MOBILE_FIRST, taken),
  );
  return { customers: opts.customers, phoneOffsets, phoneNumbers, known, unknown, sharedRows };
}

const FIRST_NAMES = [
  'Camille',
  'Léa',
  'Manon',
  'Chloé',
  'Inès',
  'Sarah',
  'Jade',
  'Louise',
  'Emma',
  'Alice',
  'Lucas',
  'Hugo',
  'Louis',
  'Gabriel',
  'Arthur',
  'Jules',
  'Nathan',
  'Thomas',
  'Théo',
  'Paul',
];
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
];
const SEGMENTS = ['retail', 'pro', 'student', 'senior'];

/** Customer i as an import file would give it; the fields other than phones derive from i alone. */
export function customerInput(pop: Population, i: number): CustomerInput & { externalId: string } {
  const rng = createRng(0x9e3779b9 ^ i);
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const start = pop.phoneOffsets[i] as number;
  const end = pop.phoneOffsets[i + 1] as number;
  const phones = pop.phoneNumbers.slice(start, end).map((number) => ({
    number,
    label: number.startsWith('+336') || number.startsWith('+337') ? 'mobile' : 'home',
  }));
  return {
    externalId: `crm-${i}`,
    name: `${first} ${last}`,
    phones,
    tier: rng() < VIP ? 'vip' : 'standard',
    language: rng() < 0.9 ? 'fr' : 'en',
    email: rng() < 0.6 ? asciiEmail(`${first}.${last}.${i}@example.com`) : undefined,
    consent: { marketing: rng() < 0.4, recording: rng() < 0.8 },
    attributes: { segment: pick(rng, SEGMENTS), loyaltyPoints: randomInt(rng, 5000) },
  };
}

function asciiEmail(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}
