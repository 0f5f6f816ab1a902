/**
 * Agent states the PBX reports (CSTA agent events) applied to the distributor. The agent is found
 * by the PBX's agent id when it is one of the plan's ids, else by the device: the agent logged in
 * there, else the agent the plan seats there.
 */
import type { AgentStateReport } from '../model/agent.js';
import type { Distributor } from './distributor.js';

/** What was done, for the log; undefined when the report names no agent Relais knows. */
export function applyAgentReport(d: Distributor, r: AgentStateReport): string | undefined {
  const byId = r.agentId !== undefined && d.agent(r.agentId) ? r.agentId : undefined;
  const byDevice =
    r.device === undefined
      ? undefined
      : (d.agentAt(r.device) ??
        d.agents().find((a) => a.device === r.device && a.state === 'logged_off')?.id);
  const id = byId ?? byDevice;
  if (id === undefined) return undefined;
  const a = d.agent(id);
  switch (r.state) {
    case 'logged_on':
      d.login(id, r.device ?? a?.device);
      return `${id} logged on at ${r.device ?? a?.device}`;
    case 'logged_off':
      d.logout(id);
      return `${id} logged off`;
    case 'ready':
      if (a?.state === 'logged_off') d.login(id, r.device ?? a.device);
      d.setState(id, 'available');
      return `${id} ready`;
    case 'not_ready':
      if (a?.state === 'logged_off') return undefined;
      d.setState(id, 'away', r.reason ?? 'not-ready');
      return `${id} not ready`;
    case 'busy':
      if (a?.state === 'logged_off') return undefined;
      d.setState(id, 'busy');
      return `${id} busy`;
    case 'wrap_up':
      if (a?.state === 'logged_off') return undefined;
      d.setState(id, 'wrap_up');
      return `${id} in wrap-up`;
  }
}
