/**
 * Campaigns and services by the number the caller dialled (config `campaigns`): the pop shows
 * which one the call answers; analytics group by it later.
 */
import type { NormalisedNumber } from '../model/number.js';
import { dialString } from '../model/number.js';

export interface Campaign {
  id: string;
  name: string;
  dnis: readonly string[];
}

export type CampaignOf = (dnis: NormalisedNumber) => { id: string; name: string } | undefined;

/** Numbers normalised once; a number in two campaigns belongs to the first. */
export function campaignIndex(
  campaigns: readonly Campaign[],
  normalise: (raw: string) => NormalisedNumber,
): CampaignOf {
  const byNumber = new Map<string, { id: string; name: string }>();
  for (const c of campaigns) {
    for (const raw of c.dnis) {
      const key = dialString(normalise(raw)) ?? raw;
      if (!byNumber.has(key)) byNumber.set(key, { id: c.id, name: c.name });
    }
  }
  return (dnis) => {
    const key = dialString(dnis);
    return key === undefined ? undefined : byNumber.get(key);
  };
}
