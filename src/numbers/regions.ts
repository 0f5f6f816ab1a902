/**
 * Regions: a name given to a range of E.164 numbers (ITU-T E.164 §6), so that routing and surge
 * detection can reason about "calls from Île-de-France" without knowing numbering plans.
 */
import { RelaisError } from '../errors.js';

/** A named region: every E.164 number that starts with one of `prefixes` belongs to it. */
export interface RegionRule {
  name: string;
  /** E.164 prefixes, with the `+`: `'+331'`, `'+3320'`. The longest matching prefix wins. */
  prefixes: string[];
}

/** Returns the region name of an E.164 number, or undefined when no rule matches. */
export type RegionLookup = (e164: string) => string | undefined;

/**
 * Geographic zones of the French numbering plan (ARCEP): the first national digit after +33 is the
 * zone. Mobile (06/07), VoIP (09) and special (08) numbers have no region on purpose. The overseas
 * departments and collectivities have their own E.164 country codes, so they are their own regions.
 */
export const FRENCH_REGIONS: readonly RegionRule[] = Object.freeze([
  { name: 'Île-de-France', prefixes: ['+331'] },
  { name: 'Nord-Ouest', prefixes: ['+332'] },
  { name: 'Nord-Est', prefixes: ['+333'] },
  { name: 'Sud-Est', prefixes: ['+334'] },
  { name: 'Sud-Ouest', prefixes: ['+335'] },
  // +262 is shared by La Réunion and Mayotte; Mayotte's ranges (0269 fixed, 0639 mobile) are longer
  // prefixes, so the longest-prefix rule picks them over La Réunion.
  { name: 'La Réunion', prefixes: ['+262'] },
  { name: 'Mayotte', prefixes: ['+262269', '+262639'] },
  // +590 is shared by Guadeloupe, Saint-Martin and Saint-Barthélemy; `country` tells them apart.
  { name: 'Guadeloupe', prefixes: ['+590'] },
  { name: 'Guyane', prefixes: ['+594'] },
  { name: 'Martinique', prefixes: ['+596'] },
  { name: 'Saint-Pierre-et-Miquelon', prefixes: ['+508'] },
  { name: 'Wallis-et-Futuna', prefixes: ['+681'] },
  { name: 'Nouvelle-Calédonie', prefixes: ['+687'] },
  { name: 'Polynésie française', prefixes: ['+689'] },
]);

/** `+` then up to 15 digits, the first not 0: the most an E.164 number can have. */
const E164_PREFIX = /^\+[1-9]\d{0,14}$/;

function invalidRule(message: string, details: Record<string, unknown>): RelaisError {
  return new RelaisError('RELAIS_ERR_CONFIG_INVALID', `numbers.regions: ${message}`, { details });
}

/** Indexes the rules by prefix; throws RELAIS_ERR_CONFIG_INVALID for a malformed or ambiguous table. */
function indexRules(rules: readonly RegionRule[]): Map<string, string> {
  const byPrefix = new Map<string, string>();
  for (const rule of rules) {
    if (typeof rule.name !== 'string' || rule.name === '') {
      throw invalidRule('a region has no name', { rule });
    }
    for (const prefix of rule.prefixes) {
      if (typeof prefix !== 'string' || !E164_PREFIX.test(prefix)) {
        throw invalidRule(`bad prefix ${JSON.stringify(prefix)} (expected + and digits)`, {
          region: rule.name,
          prefix,
        });
      }
      const previous = byPrefix.get(prefix);
      if (previous !== undefined && previous !== rule.name) {
        throw invalidRule(`prefix ${prefix} is in both ${previous} and ${rule.name}`, { prefix });
      }
      byPrefix.set(prefix, rule.name);
    }
  }
  return byPrefix;
}

/**
 * Builds a longest-prefix lookup. It probes the Map once per distinct prefix length, longest first,
 * so a lookup costs O(prefix length) whatever the number of rules.
 */
export function createRegionLookup(rules: readonly RegionRule[]): RegionLookup {
  const byPrefix = indexRules(rules);
  const lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  if (lengths.length === 0) return () => undefined;
  return (e164) => {
    for (const length of lengths) {
      if (length > e164.length) continue;
      const name = byPrefix.get(e164.slice(0, length));
      if (name !== undefined) return name;
    }
    return undefined;
  };
}
