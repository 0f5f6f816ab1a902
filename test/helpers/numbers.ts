import { createNormaliser, FRENCH_REGIONS } from '../../src/numbers/index.js';

/** The number plan most tests use: France, six-digit extensions, French regions. */
export const frNormalise = createNormaliser({
  defaultCountry: 'FR',
  extensionMaxLength: 6,
  regions: FRENCH_REGIONS,
});
