/** Services built from the configuration, shared by the server and the one-shot commands. */
import type { Config } from './config/schema.js';
import { CustomerDirectory } from './customers/directory.js';
import { createNormaliser, FRENCH_REGIONS, type Normaliser, type RegionRule } from './numbers/index.js';
import type { Db } from './store/db.js';

export function regionsOf(config: Config): readonly RegionRule[] {
  const r = config.numbers.regions;
  if (r === 'fr') return FRENCH_REGIONS;
  if (r === 'none') return [];
  return r;
}

export function buildNormaliser(config: Config): Normaliser {
  return createNormaliser({ ...config.numbers, regions: regionsOf(config) });
}

export function buildDirectory(
  config: Config,
  db: Db,
  normalise: Normaliser,
  onChange?: (customerId: string, numbers: string[]) => void,
): CustomerDirectory {
  return new CustomerDirectory({
    db,
    normalise,
    cacheSize: config.customers.cacheSize,
    recentPurchases: config.customers.recentPurchases,
    recentInteractions: config.customers.recentInteractions,
    tiers: config.customers.tiers,
    onChange,
  });
}
