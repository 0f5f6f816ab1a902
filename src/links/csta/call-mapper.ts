/**
 * CSTA events → canonical call events. Pure (no I/O); it keeps what a device monitor needs to
 * follow one call across events: the caller's device, the device that has the call now, and the
 * call ids a transfer or conference gave it (switches issue new call ids on transfer).
 *
 * Rules:
 * - ANI/DNIS come from the devices that stay stable across transfers (ECMA-269 §12.3.25
 *   networkCallingDevice / networkCalledDevice), else callingDevice / calledDevice, else the
 *   associated ones, in that order.
 * - The first event seen for a call (whichever it is) also yields `offered`, so a monitor that
 *   only sees the agent's phone still gets ANI and DNIS.
 * - ConnectionCleared ends the call only when the caller, or the agent holding the call, leaves;
 *   a route point or ACD group letting the call go is not the end. CallCleared always is.
 * - Several monitors report one event (the ACD group and the agent): the same event for the
 *   same call and device within `duplicateWindowMs` is reported once.
 */
import type { CallEvent } from '../../model/call.js';
import { deviceKey, displayNameOf, rawNumberOf } from './codec/index.js';
import type { ConnectionRef, CstaEvent, DeviceRef } from './messages.js';

/** Before Originated an outbound call has no number yet; after it, NetworkReached adds nothing we record. */
const OUTBOUND = new Set(['ServiceInitiated', 'NetworkReached']);
const ENDINGS = new Set(['ConnectionCleared', 'CallCleared']);
/** Events for a call id that ended this recently belong to that call (late monitors), not a new one. */
const ENDED_MEMORY_MS = 30_000;

export type DeviceKind = 'agent' | 'acd' | 'routePoint';

export interface CallMapperOptions {
  link: string;
  /** Kind of each monitored device, by its device key; unknown devices count as agents. */
  deviceKinds: ReadonlyMap<string, DeviceKind>;
  duplicateWindowMs?: number;
  /** Calls followed at once; beyond, the least recent is forgotten. */
  maxCalls?: number;
}

interface CallState {
  id: string;
  caller: string | undefined;
  device: string | undefined;
  seen: Map<string, number>;
}

export class CallMapper {
  readonly #opts: Required<CallMapperOptions>;
  readonly #calls = new Map<string, CallState>();
  readonly #aliases = new Map<string, string>();
  /** Call ids that ended, and when: later events of their other parties are not new calls. */
  readonly #ended = new Map<string, number>();
  /** The aliases of each call, so forgetting a call does not scan every alias. */
  readonly #aliasesOf = new Map<string, string[]>();

  constructor(opts: CallMapperOptions) {
    this.#opts = { duplicateWindowMs: 2000, maxCalls: 50_000, ...opts };
  }

  get size(): number {
    return this.#calls.size;
  }

  map(ev: CstaEvent, at: number): CallEvent[] {
    if (ev.name === 'Transfered' || ev.name === 'Conferenced') return this.#merge(ev, at);
    const rawId = ev.connection?.callId;
    if (rawId === undefined) return [];
    const id = this.#aliases.get(rawId) ?? rawId;
    if (!this.#calls.has(id)) {
      // An outbound call starts at Originated (ANI: the agent's extension; DNIS: the number dialled).
      // A clear for a call we do not follow (or just ended) says nothing worth a new call.
      if (OUTBOUND.has(ev.name) || ENDINGS.has(ev.name)) return [];
      if (this.#recentlyEnded(id, at)) return [];
    }
    const subject = keyOf(ev.subjectDevice) ?? ev.connection?.deviceId;
    const out: CallEvent[] = [];
    const call = this.#callFor(id, ev, at, out);
    if (this.#isDuplicate(id, `${ev.name}|${subject}|${ev.cause}`, at)) return out;
    const base = { callId: id, link: this.#opts.link, at };
    switch (ev.name) {
      case 'Delivered':
        if (subject !== undefined && this.#kind(subject) === 'agent') {
          call.device = subject;
          out.push({ ...base, type: 'alerting', device: subject });
        }
        break;
      case 'Established': {
        const device = subject ?? call.device;
        if (device !== undefined) {
          call.device = device;
          out.push({ ...base, type: 'connected', device });
        }
        break;
      }
      case 'Queued':
        out.push({ ...base, type: 'queued', queue: subject ?? 'unknown' });
        break;
      case 'Held':
        out.push({ ...base, type: 'held', device: subject });
        break;
      case 'Retrieved':
        out.push({ ...base, type: 'retrieved', device: subject });
        break;
      case 'Diverted': {
        const to = keyOf(ev.newDestination);
        if (to !== undefined) {
          call.device = to;
          out.push({ ...base, type: 'diverted', from: subject, to, reason: ev.cause });
        }
        break;
      }
      case 'ConnectionCleared':
        if (this.#endsCall(call, subject, ev.cause)) out.push(this.#clear(call, base, ev.cause));
        break;
      case 'CallCleared':
        out.push(this.#clear(call, base, ev.cause));
        break;
      case 'Failed':
        out.push({ ...base, type: 'failed', cause: ev.cause ?? 'failed' });
        this.#forget(call.id, at);
        break;
      case 'Originated':
        call.device = subject ?? call.caller;
        break;
      default:
        // ServiceInitiated, NetworkReached: nothing the call record keeps.
        break;
    }
    return out;
  }

  #callFor(id: string, ev: CstaEvent, at: number, out: CallEvent[]): CallState {
    let call = this.#calls.get(id);
    if (call) {
      this.#calls.delete(id); // keep the map in recency order
      this.#calls.set(id, call);
      return call;
    }
    const aniDevice = ev.networkCallingDevice ?? ev.callingDevice ?? ev.associatedCallingDevice;
    const dnisDevice = ev.networkCalledDevice ?? ev.calledDevice ?? ev.associatedCalledDevice;
    call = { id, caller: keyOf(aniDevice), device: undefined, seen: new Map() };
    this.#calls.set(id, call);
    if (this.#calls.size > this.#opts.maxCalls) this.#forget(this.#calls.keys().next().value as string);
    const first = keyOf(ev.subjectDevice) ?? ev.connection?.deviceId;
    out.push({
      type: 'offered',
      callId: id,
      link: this.#opts.link,
      at,
      ani: rawNumberOf(aniDevice) ?? '',
      aniName: displayNameOf(aniDevice),
      dnis: rawNumberOf(dnisDevice) ?? '',
      device: first,
      redirectingNumber: rawNumberOf(ev.lastRedirectionDevice),
    });
    return call;
  }

  /** Transfer and conference: the surviving call keeps the id we know; new ids become aliases. */
  #merge(ev: CstaEvent, at: number): CallEvent[] {
    const olds = [ev.primaryOldCall, ev.secondaryOldCall, ev.connection].filter(
      (c): c is ConnectionRef & { callId: string } => c?.callId !== undefined,
    );
    const known = olds.map((c) => this.#aliases.get(c.callId) ?? c.callId).find((id) => this.#calls.has(id));
    if (known === undefined) return [];
    for (const c of olds) if (c.callId !== known) this.#alias(c.callId, known);
    for (const item of ev.connectionList ?? []) {
      const newId = item.newConnection?.callId;
      if (newId !== undefined && newId !== known) this.#alias(newId, known);
    }
    if (ev.name === 'Conferenced') return [];
    const to = keyOf(ev.transferredToDevice);
    if (to === undefined || this.#isDuplicate(known, `Transfered|${to}`, at)) return [];
    const call = this.#calls.get(known) as CallState;
    call.device = to;
    return [
      { type: 'transferred', callId: known, link: this.#opts.link, at, from: keyOf(ev.subjectDevice), to },
    ];
  }

  #endsCall(call: CallState, releasing: string | undefined, cause: string | undefined): boolean {
    if (cause === 'redirected' || cause === 'transfer') return false;
    if (releasing === undefined) return false;
    if (releasing === call.caller) return true;
    return this.#kind(releasing) === 'agent' && releasing === call.device;
  }

  #clear(call: CallState, base: { callId: string; link: string; at: number }, cause?: string): CallEvent {
    this.#forget(call.id, base.at);
    return { ...base, type: 'cleared', cause };
  }

  #recentlyEnded(id: string, at: number): boolean {
    const ended = this.#ended.get(id);
    return ended !== undefined && at - ended < ENDED_MEMORY_MS;
  }

  #forget(id: string, at?: number): void {
    this.#calls.delete(id);
    if (at !== undefined) {
      this.#ended.set(id, at);
      if (this.#ended.size > this.#opts.maxCalls)
        this.#ended.delete(this.#ended.keys().next().value as string);
    }
    for (const alias of this.#aliasesOf.get(id) ?? []) this.#aliases.delete(alias);
    this.#aliasesOf.delete(id);
  }

  #alias(from: string, to: string): void {
    this.#aliases.set(from, to);
    const list = this.#aliasesOf.get(to);
    if (list) list.push(from);
    else this.#aliasesOf.set(to, [from]);
  }

  #isDuplicate(id: string, signature: string, at: number): boolean {
    const call = this.#calls.get(id);
    if (!call) return false;
    const last = call.seen.get(signature);
    call.seen.set(signature, at);
    return last !== undefined && at - last < this.#opts.duplicateWindowMs;
  }

  #kind(device: string): DeviceKind {
    return this.#opts.deviceKinds.get(device) ?? 'agent';
  }
}

function keyOf(ref: DeviceRef | undefined): string | undefined {
  return ref === undefined ? undefined : deviceKey(ref);
}
