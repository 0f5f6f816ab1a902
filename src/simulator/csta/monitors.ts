/**
 * Device monitors (ECMA-269 Monitor Start / Monitor Stop): each has a monitorCrossRefID unique in
 * the switch, belongs to the connection that started it, and receives the events of its device.
 * A switch restart forgets them all.
 */
import type { SwitchEvent } from './events.js';
import { UNSOLICITED_INVOKE_ID } from './frames.js';
import type { StatsCounters } from './stats.js';
import { renderEvent } from './xml-events.js';

export interface MonitorOwner {
  readonly id: number;
  send(xml: string, invokeId: string): void;
}

export interface Monitor {
  crossRefId: string;
  device: string;
  owner: MonitorOwner;
}

export class MonitorRegistry {
  private readonly byId = new Map<string, Monitor>();
  private readonly byDevice = new Map<string, Monitor[]>();
  private next = 1;

  start(owner: MonitorOwner, device: string): string {
    const crossRefId = String(this.next++);
    const monitor = { crossRefId, device, owner };
    this.byId.set(crossRefId, monitor);
    this.byDevice.set(device, [...(this.byDevice.get(device) ?? []), monitor]);
    return crossRefId;
  }

  /** False when the monitor does not exist or belongs to another connection. */
  stop(owner: MonitorOwner, crossRefId: string): boolean {
    const m = this.byId.get(crossRefId);
    if (!m || m.owner !== owner) return false;
    this.remove(m);
    return true;
  }

  dropOwner(owner: MonitorOwner): void {
    for (const m of [...this.byId.values()]) if (m.owner === owner) this.remove(m);
  }

  reset(): void {
    this.byId.clear();
    this.byDevice.clear();
  }

  /**
   * Sends a call event to every monitor of every device involved, each copy with its own
   * monitorCrossRefID and the localConnectionInfo of its device.
   */
  deliver(event: SwitchEvent, namespace: string | undefined, stats: StatsCounters): void {
    const seen = new Set<string>();
    for (const r of event.recipients) {
      if (seen.has(r.device)) continue;
      seen.add(r.device);
      for (const m of this.forDevice(r.device)) {
        m.owner.send(renderEvent(namespace, m.crossRefId, event.body, r.state), UNSOLICITED_INVOKE_ID);
        stats.event(event.body.name);
      }
    }
  }

  forDevice(device: string): readonly Monitor[] {
    return this.byDevice.get(device) ?? [];
  }

  get size(): number {
    return this.byId.size;
  }

  private remove(m: Monitor): void {
    this.byId.delete(m.crossRefId);
    const rest = (this.byDevice.get(m.device) ?? []).filter((x) => x !== m);
    if (rest.length === 0) this.byDevice.delete(m.device);
    else this.byDevice.set(m.device, rest);
  }
}
