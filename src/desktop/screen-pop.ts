/**
 * Screen pops: the moment a call rings at a device, the caller's card goes to the desktops that
 * follow that device (`device:<extension>`), then the call's states as it goes on. Off the call
 * path: the tracker's events in, hub messages out; the card comes from the directory's cache (a
 * lookup the pipeline has usually made already when the call was offered).
 */
import type { EventBus, RelaisEvents } from '../core/event-bus.js';
import type { LookupResult } from '../customers/directory.js';
import type { Call } from '../model/call.js';
import type { CustomerCard } from '../model/customer.js';
import type { NormalisedNumber } from '../model/number.js';
import { dialString } from '../model/number.js';
import type { DesktopHub } from './hub.js';

export interface ScreenPopOptions {
  bus: EventBus<RelaisEvents>;
  hub: DesktopHub;
  lookup: (n: NormalisedNumber) => LookupResult | Promise<LookupResult>;
  /** Extra context for the card: the campaign of the DNIS, the IVR choice, the CRM link. */
  context?: (call: Call) => Record<string, unknown>;
  onError?: (err: unknown) => void;
  /** Told of every pop once published (webhooks). */
  onPop?: (p: PopPayload) => void;
}

/** The caller as the card shows them: the number, or `withheld` / `unknown` (never a guess). */
function callerOf(n: NormalisedNumber): { kind: NormalisedNumber['kind']; number?: string } {
  return n.kind === 'e164' || n.kind === 'extension'
    ? { kind: n.kind, number: dialString(n) }
    : { kind: n.kind };
}

export interface PopPayload {
  callId: string;
  link: string;
  device: string;
  state: Call['state'];
  caller: { kind: NormalisedNumber['kind']; number?: string; name?: string };
  dnis?: string;
  offeredAt: number;
  /** The card, or null for an unknown or withheld caller ("unknown caller" card). */
  customer: CustomerCard | null;
  matches: number;
  [extra: string]: unknown;
}

const MAX_FOLLOWED = 50_000;

export function startScreenPops(o: ScreenPopOptions): () => void {
  /** link/callId → the device its pop went to. */
  const followed = new Map<string, string>();
  const key = (c: Call) => `${c.link}/${c.id}`;

  const pop = (call: Call, device: string, found: LookupResult) => {
    const payload: PopPayload = {
      callId: call.id,
      link: call.link,
      device,
      state: call.state,
      caller: { ...callerOf(call.ani.number), ...(call.ani.name ? { name: call.ani.name } : {}) },
      dnis: dialString(call.dnis.number),
      offeredAt: call.offeredAt,
      customer: found.customer,
      matches: found.matches,
      ...o.context?.(call),
    };
    o.hub.publish(`device:${device}`, 'call.offered', payload);
    o.onPop?.(payload);
  };

  const onUpdate = (call: Call) => {
    const k = key(call);
    const popped = followed.get(k);
    if (call.state === 'alerting' && call.device !== undefined && popped !== call.device) {
      const device = call.device;
      followed.delete(k);
      followed.set(k, device);
      if (followed.size > MAX_FOLLOWED) followed.delete(followed.keys().next().value as string);
      // A withheld caller is never looked up by a number we were asked to hide.
      const ani = call.ani.number;
      const found: LookupResult | Promise<LookupResult> =
        ani.kind === 'e164' ? o.lookup(ani) : { customer: null, matches: 0 };
      if (found instanceof Promise) found.then((r) => pop(call, device, r), o.onError);
      else pop(call, device, found);
      return;
    }
    if (popped === undefined) return;
    o.hub.publish(`device:${popped}`, 'call.state', {
      callId: call.id,
      link: call.link,
      state: call.state,
      device: call.device,
      answeredAt: call.answeredAt,
    });
    if (call.state === 'cleared' || call.state === 'failed') followed.delete(k);
  };

  const offs = [o.bus.on('call.updated', onUpdate)];
  return () => {
    for (const off of offs) off();
  };
}
