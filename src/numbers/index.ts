/** Phone number normalisation: the only way raw ANI/DNIS strings become NormalisedNumbers. */

export type { NormalisedNumber, NumberKind, PhoneNumberType } from '../model/number.js';
export { maskNumber } from './mask.js';
export {
  createNormaliser,
  DEFAULT_EXTENSION_MAX_LENGTH,
  type Normaliser,
  type NumberPlan,
} from './normalise.js';
export { createRegionLookup, FRENCH_REGIONS, type RegionLookup, type RegionRule } from './regions.js';
