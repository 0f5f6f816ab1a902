/**
 * Typed CSTA messages: what the ECMA-323 codec produces and consumes (ECMA-269 services and
 * events, ECMA-354 application sessions). Field names follow the standards' element names in
 * camelCase (`monitorCrossRefID` → `monitorCrossRefId`). The codec matches on local names, so
 * one model covers every edition's namespace and namespace-less documents.
 */

/** ECMA-269 §12.2.19 (DeviceID choices): the switch withholds or lacks the identifier. */
export type DeviceChoice = 'notKnown' | 'restricted' | 'notRequired' | 'notSpecified';

/**
 * A device as sent (ECMA-323 `deviceIdentifier` text, untouched: `2001`, `+4930123456`,
 * `N<+4930123456>;displayNumber=…`), or one of the choices. `device-id.ts` turns it into the raw
 * number for the normaliser.
 */
export type DeviceRef =
  | { id: string; choice?: undefined; typeOfNumber?: string }
  | { id?: undefined; choice: DeviceChoice };

/** ECMA-269 §12.2.11 ConnectionID: a call at a device. */
export interface ConnectionRef {
  callId?: string;
  deviceId?: string;
}

/** The events Relais maps to call events (ECMA-269 §17.2; `Transfered` is the standard's spelling). */
export type CstaEventName =
  | 'CallCleared'
  | 'Conferenced'
  | 'ConnectionCleared'
  | 'Delivered'
  | 'Diverted'
  | 'Established'
  | 'Failed'
  | 'Held'
  | 'NetworkReached'
  | 'Originated'
  | 'Queued'
  | 'Retrieved'
  | 'ServiceInitiated'
  | 'Transfered'
  // ECMA-269 logical device feature events: an agent's state at their device, not a call.
  | 'AgentLoggedOn'
  | 'AgentLoggedOff'
  | 'AgentReady'
  | 'AgentNotReady'
  | 'AgentBusy'
  | 'AgentWorkingAfterCall';

/**
 * One call-control event. `connection` is the event's own connection whatever its element name
 * (`connection`, `establishedConnection`, `droppedConnection`, `heldConnection`, `clearedCall`…);
 * `subjectDevice` the device acting in it (`alertingDevice`, `answeringDevice`, `releasingDevice`,
 * `holdingDevice`, `retrievingDevice`, `divertingDevice`, `transferringDevice`,
 * `conferencingDevice`, `failingDevice`, `queue` for Queued, `originatingDevice`…).
 */
export interface CstaEvent {
  name: CstaEventName;
  monitorCrossRefId: string;
  connection?: ConnectionRef;
  subjectDevice?: DeviceRef;
  callingDevice?: DeviceRef;
  calledDevice?: DeviceRef;
  /** ECMA-269 §12.3.x: stable across transfers; preferred for ANI/DNIS when present. */
  networkCallingDevice?: DeviceRef;
  networkCalledDevice?: DeviceRef;
  associatedCallingDevice?: DeviceRef;
  associatedCalledDevice?: DeviceRef;
  lastRedirectionDevice?: DeviceRef;
  /** Diverted: where the call went. */
  newDestination?: DeviceRef;
  /** Transfered: the party the call was transferred to. */
  transferredToDevice?: DeviceRef;
  /** Conferenced: the party added. */
  addedParty?: DeviceRef;
  /** Transfered / Conferenced: the calls that merged. */
  primaryOldCall?: ConnectionRef;
  secondaryOldCall?: ConnectionRef;
  /** Transfered / Conferenced: `connectionListItem`s (new and old connection of each party). */
  connectionList?: Array<{ newConnection?: ConnectionRef; oldConnection?: ConnectionRef }>;
  /** ECMA-269 §12.2.13 LocalConnectionState (`alerting`, `connected`, `hold`, `queued`…). */
  localConnectionInfo?: string;
  /** ECMA-269 §12.2.8 EventCause (`newCall`, `normalClearing`, `callCancelled`, `redirected`…). */
  cause?: string;
  /** Queued: how many calls wait in that queue. */
  numberQueued?: number;
  /** Agent state events: the agent's id at the switch (`agentID`); the device is `subjectDevice` (`agentDevice`). */
  agentId?: string;
  /** ECMA-323 CorrelatorData (hex or text, as sent). */
  correlatorData?: string;
}

export type CstaMessage =
  // ECMA-354 application session.
  | {
      type: 'StartApplicationSession';
      applicationId: string;
      protocolVersions: string[];
      sessionDuration?: number;
    }
  | {
      type: 'StartApplicationSessionPosResponse';
      sessionId: string;
      protocolVersion?: string;
      sessionDuration?: number;
    }
  | { type: 'StartApplicationSessionNegResponse'; errorCode: string }
  | {
      type: 'StopApplicationSession';
      sessionId: string;
      /** ECMA-354 sessionEndReason (mandatory there); the encoder sends `normal` when absent. */
      sessionEndReason?: string;
    }
  | { type: 'StopApplicationSessionPosResponse' }
  | { type: 'ResetApplicationSessionTimer'; sessionId: string; sessionDuration?: number }
  | { type: 'ResetApplicationSessionTimerPosResponse'; sessionDuration?: number }
  | { type: 'ResetApplicationSessionTimerNegResponse'; errorCode: string }
  // ECMA-269 §13.1 monitoring.
  | { type: 'MonitorStart'; device: string; monitorType?: 'device' | 'call' }
  | { type: 'MonitorStartResponse'; monitorCrossRefId: string }
  | { type: 'MonitorStop'; monitorCrossRefId: string }
  | { type: 'MonitorStopResponse' }
  // ECMA-269 §11 status reporting.
  | { type: 'SystemStatus'; status: string }
  | { type: 'SystemStatusResponse' }
  // ECMA-269 §20 routing.
  | { type: 'RouteRegister'; routingDevice?: string }
  | { type: 'RouteRegisterResponse'; routeRegisterReqId: string }
  | { type: 'RouteRegisterCancel'; routeRegisterReqId: string }
  | { type: 'RouteRegisterCancelResponse' }
  | { type: 'RouteRegisterAbort'; routeRegisterReqId: string }
  | {
      type: 'RouteRequest';
      crossRefId: string;
      routeRegisterReqId?: string;
      currentRoute?: DeviceRef;
      callingDevice?: DeviceRef;
      routedCall?: ConnectionRef;
      routeSelAlgorithm?: string;
      priority?: boolean;
      correlatorData?: string;
    }
  | { type: 'ReRoute'; crossRefId: string; routeRegisterReqId?: string }
  | {
      type: 'RouteSelect';
      crossRefId: string;
      routeRegisterReqId?: string;
      routeSelected: string;
      routeUsedReq?: boolean;
      correlatorData?: string;
    }
  | {
      type: 'RouteUsed';
      crossRefId: string;
      routeRegisterReqId?: string;
      routeUsed?: DeviceRef;
      callingDevice?: DeviceRef;
    }
  | {
      type: 'RouteEnd';
      crossRefId: string;
      routeRegisterReqId?: string;
      errorValue?: string;
      /** The ECMA-269 §9.3 error category element around errorValue; the encoder uses `operation` when absent. */
      errorCategory?: string;
    }
  // ECMA-269 §9.3 negative acknowledgement of any request.
  | { type: 'CSTAErrorCode'; category: string; value: string }
  | { type: 'Event'; event: CstaEvent }
  /** A well-formed document Relais does not handle (private data, services not used). */
  | { type: 'Unknown'; name: string };

export type CstaMessageType = CstaMessage['type'];
