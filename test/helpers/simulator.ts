/** Waiting for a Relais CSTA link to be ready against the switch simulator. */
import type { CstaSimulator } from '../../src/simulator/csta/index.js';

/** Resolves once the link has monitored `monitors` devices and registered its route point. */
export async function linkReady(sim: CstaSimulator, monitors: number, timeoutMs = 10_000): Promise<void> {
  for (
    const start = Date.now();
    Date.now() - start < timeoutMs;
    await new Promise((r) => setTimeout(r, 20))
  ) {
    const by = sim.stats().requestsByType;
    if ((by.MonitorStart ?? 0) >= monitors && (by.RouteRegister ?? 0) >= 1) return;
  }
  throw new Error(`the link did not monitor ${monitors} devices and register within ${timeoutMs} ms`);
}
