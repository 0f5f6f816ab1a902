import { CustomerDirectory, type DirectoryOptions } from '../../src/customers/directory.js';
import type { Db } from '../../src/store/db.js';
import { frNormalise } from './numbers.js';

/** A directory on a test store with the French number plan and the usual tiers. */
export function testDirectory(db: Db, over: Partial<DirectoryOptions> = {}): CustomerDirectory {
  return new CustomerDirectory({
    db,
    normalise: frNormalise,
    cacheSize: 1000,
    recentPurchases: 3,
    recentInteractions: 3,
    tiers: ['standard', 'vip'],
    ...over,
  });
}
