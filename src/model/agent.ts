/** What a link reports of an agent's state at their device (CSTA agent events; AMI later). */
export type ReportedAgentState = 'logged_on' | 'logged_off' | 'ready' | 'not_ready' | 'busy' | 'wrap_up';

export interface AgentStateReport {
  link: string;
  /** The agent's device (extension), as the PBX names it. */
  device: string | undefined;
  /** The agent's id at the PBX, when it says. */
  agentId: string | undefined;
  state: ReportedAgentState;
  /** Why, as the PBX says (a not-ready reason code, a cause). */
  reason?: string;
  at: number;
}
