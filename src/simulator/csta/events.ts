/**
 * Call events as the switch model produces them, before they are addressed to monitors. Names and
 * fields are ECMA-269's call-control events (ECMA-323 element names; `Transfered` is the
 * standard's spelling). Each event lists the devices whose monitors receive it, with the state of
 * that device's own connection, which becomes the event's `localConnectionInfo` for that monitor.
 */
import type { DeviceValue } from './identifiers.js';

/** ECMA-269 LocalConnectionState. */
export type LocalConnectionState =
  | 'null'
  | 'initiated'
  | 'alerting'
  | 'connected'
  | 'hold'
  | 'queued'
  | 'fail';

/** ECMA-269 EventCause values the simulator uses. */
export type EventCause =
  | 'newCall'
  | 'redirected'
  | 'distributed'
  | 'noAvailableAgents'
  | 'callForwardNoAnswer'
  | 'normalClearing'
  | 'callCancelled'
  | 'busy'
  | 'transfer'
  | 'consultation'
  | 'normal';

/** ECMA-269 ConnectionID as sent: the call and the device identifier at that end. */
export interface ConnRef {
  callId: string;
  deviceId: string;
}

/** Fields that stay with the call across redirections and transfers (networkCallingDevice…). */
export interface PartyFields {
  callingDevice: DeviceValue;
  calledDevice: DeviceValue;
  lastRedirectionDevice: DeviceValue;
  networkCallingDevice: DeviceValue;
  networkCalledDevice: DeviceValue;
}

export type CallEventBody =
  | ({ name: 'Delivered'; connection: ConnRef; alertingDevice: DeviceValue; cause: EventCause } & PartyFields)
  | ({
      name: 'Queued';
      queuedConnection: ConnRef;
      queue: DeviceValue;
      numberQueued: number;
      cause: EventCause;
    } & PartyFields)
  | ({
      name: 'Diverted';
      connection: ConnRef;
      divertingDevice: DeviceValue;
      newDestination: DeviceValue;
      cause: EventCause;
    } & PartyFields)
  | ({
      name: 'Established';
      establishedConnection: ConnRef;
      answeringDevice: DeviceValue;
      cause: EventCause;
    } & PartyFields)
  | ({
      name: 'Failed';
      failedConnection: ConnRef;
      failingDevice: DeviceValue;
      cause: EventCause;
    } & PartyFields)
  | { name: 'Held'; heldConnection: ConnRef; holdingDevice: DeviceValue; cause: EventCause }
  | { name: 'Retrieved'; retrievedConnection: ConnRef; retrievingDevice: DeviceValue; cause: EventCause }
  | {
      name: 'ServiceInitiated';
      initiatedConnection: ConnRef;
      initiatingDevice: DeviceValue;
      cause: EventCause;
    }
  | {
      name: 'Originated';
      originatedConnection: ConnRef;
      callingDevice: DeviceValue;
      calledDevice: DeviceValue;
      cause: EventCause;
    }
  | {
      name: 'Transfered';
      primaryOldCall: ConnRef;
      secondaryOldCall: ConnRef;
      transferringDevice: DeviceValue;
      transferredToDevice: DeviceValue;
      transferredConnections: Array<{ newConnection: ConnRef; oldConnection: ConnRef; endpoint: string }>;
      cause: EventCause;
    }
  | { name: 'ConnectionCleared'; droppedConnection: ConnRef; releasingDevice: DeviceValue; cause: EventCause }
  | { name: 'CallCleared'; clearedCall: { callId: string }; cause: EventCause };

export type CallEventName = CallEventBody['name'];

export interface Recipient {
  /** The switch device whose monitors receive the event. */
  device: string;
  /** That device's connection state in the call once the event has happened. */
  state: LocalConnectionState;
}

export interface SwitchEvent {
  body: CallEventBody;
  recipients: Recipient[];
}
