/**
 * CRM pop: the page of the caller in the CRM, opened beside the card. Configured per DNIS or
 * queue as a URL template; values are URL-encoded, and a withheld caller's number stays empty.
 */
import type { Call } from '../model/call.js';
import type { NormalisedNumber } from '../model/number.js';
import { dialString } from '../model/number.js';

export interface CrmUrlEntry {
  dnis?: readonly string[];
  queue?: string;
  url: string;
}

export type CrmUrlResolver = (call: Call, queue: string | undefined) => string | undefined;

export function crmUrlResolver(
  entries: readonly CrmUrlEntry[],
  normalise: (raw: string) => NormalisedNumber,
): CrmUrlResolver {
  const compiled = entries.map((e) => ({
    dnis: e.dnis === undefined ? undefined : new Set(e.dnis.map((d) => dialString(normalise(d)) ?? d)),
    queue: e.queue,
    url: e.url,
  }));
  return (call, queue) => {
    const dnis = dialString(call.dnis.number);
    const entry = compiled.find(
      (e) =>
        (e.dnis === undefined || (dnis !== undefined && e.dnis.has(dnis))) &&
        (e.queue === undefined || e.queue === queue),
    );
    if (!entry) return undefined;
    const values: Record<string, string> = {
      ani: dialString(call.ani.number) ?? '',
      dnis: dnis ?? '',
      callId: call.id,
      customerId: call.customerId ?? '',
      link: call.link,
      device: call.device ?? '',
      queue: queue ?? '',
    };
    return entry.url.replace(/\{(ani|dnis|callId|customerId|link|device|queue)\}/g, (_m, k: string) =>
      encodeURIComponent(values[k] ?? ''),
    );
  };
}
