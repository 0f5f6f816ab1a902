/** The CSTA switch simulator's public surface. */
export type { CallOutcome, CallPlan, CallResult, PlaceCallOptions } from './call-plan.js';
export { runSimulatorCli, SIMULATE_CSTA_HELP, type SimulatorCliIo, statsLine } from './cli.js';
export { SimulatorError, type SimulatorErrorCode } from './errors.js';
export type { CallEventName, EventCause, LocalConnectionState } from './events.js';
export { malformed } from './faults.js';
export { encodeFrame, FrameSplitter, type Framing, UNSOLICITED_INVOKE_ID } from './frames.js';
export type { IdentifierStyle, Presentation } from './identifiers.js';
export type { LatencySummary } from './latency.js';
export type { DevicePlanOptions, SimulatorOptions } from './options.js';
export {
  type ClientInfo,
  CstaSimulator,
  type PlacedCall,
  type RestartOptions,
  type SimulatorEvents,
} from './simulator.js';
export type { SimulatorStats } from './stats.js';
export {
  type MsRange,
  type PlannedCall,
  planCalls,
  type TrafficHandle,
  type TrafficOptions,
} from './traffic.js';
export type { BoundAddress, ConnectOptions, ConnectTls, ListenOptions, ListenTls } from './transport.js';
export type { AgentStateEventName } from './xml-events.js';
export {
  APPL_SESSION_NAMESPACE,
  CSTA_ED2_NAMESPACE,
  CSTA_ED3_NAMESPACE,
  type CstaError,
  type SystemStatusValue,
} from './xml-services.js';
