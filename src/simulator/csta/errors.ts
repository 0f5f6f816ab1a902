/**
 * Errors the simulator raises on misuse by a test or a script (not protocol outcomes: those travel
 * on the wire as CSTAErrorCode, RouteEnd or call events, as a real switch would send them).
 */
export type SimulatorErrorCode =
  /** The device is not in the switch's numbering plan. */
  | 'SIM_UNKNOWN_DEVICE'
  /** Every trunk is seized: the call cannot enter the switch. */
  | 'SIM_NO_TRUNK'
  /** The simulator is not listening or connected (or already closed). */
  | 'SIM_NOT_RUNNING'
  /** Options that contradict each other or a value out of range. */
  | 'SIM_BAD_OPTION';

export class SimulatorError extends Error {
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string) {
    super(message);
    this.name = 'SimulatorError';
    this.code = code;
  }
}
