/**
 * Templates of the service-level documents the switch sends: responses to the application's
 * requests (ECMA-354 application session, ECMA-269 monitoring, status, routeing, snapshot) and the
 * requests the switch itself makes (RouteRequest, RouteUsed, RouteEnd, SystemStatus). Element names
 * and order follow ECMA-323 (the XML encoding of ECMA-269).
 */
import type { DeviceValue } from './identifiers.js';
import { el, empty, leaf, type Xml, xmlDocument } from './xml-writer.js';

export const CSTA_ED3_NAMESPACE = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const CSTA_ED2_NAMESPACE = 'http://www.ecma.ch/standards/ecma-323/csta/ed2';
/** ECMA-354: the application-session messages have their own namespace. */
export const APPL_SESSION_NAMESPACE = 'http://www.ecma-international.org/standards/ecma-354/appl_session';

/** Namespaces the documents carry; undefined means a namespace-less document. */
export interface Namespaces {
  csta: string | undefined;
  session: string | undefined;
}

/** ECMA-269 universal failure categories (ECMA-323 `CSTAErrorCode` choices). */
export type ErrorCategory =
  | 'operation'
  | 'security'
  | 'stateIncompatibility'
  | 'systemResourceAvailability'
  | 'subscribedResourceAvailability'
  | 'performanceManagement'
  | 'privateData'
  | 'unspecified';

export interface CstaError {
  category: ErrorCategory;
  value: string;
}

/** ECMA-269 SystemStatus values. */
export type SystemStatusValue =
  | 'initializing'
  | 'enabled'
  | 'normal'
  | 'messagesLost'
  | 'disabled'
  | 'partiallyDisabled'
  | 'overloadImminent'
  | 'overloadReached'
  | 'overloadRelieved';

/** A CallingDeviceID / CalledDeviceID / SubjectDeviceID… choice (ECMA-323 device identifiers). */
export function deviceChoice(name: string, value: DeviceValue | undefined): Xml | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'id') return el(name, leaf('deviceIdentifier', value.id));
  return el(name, empty(value.kind));
}

/** ECMA-269 ConnectionID: a call at a device (`callID`, `deviceID`). */
export function connectionXml(name: string, callId: string, deviceId?: string): Xml {
  return el(name, leaf('callID', callId), leaf('deviceID', deviceId));
}

export class ServiceTemplates {
  constructor(private readonly ns: Namespaces) {}

  private csta(root: string, ...children: (Xml | undefined)[]): string {
    return xmlDocument(root, this.ns.csta, ...children);
  }

  private session(root: string, ...children: (Xml | undefined)[]): string {
    return xmlDocument(root, this.ns.session, ...children);
  }

  /** ECMA-323 CSTAErrorCode: the negative acknowledgement of any CSTA request. */
  errorCode(error: CstaError): string {
    return this.csta('CSTAErrorCode', leaf(error.category, error.value));
  }

  // ECMA-354 Start Application Session.
  startSessionPos(sessionId: string, protocolVersion: string, durationSec: number): string {
    return this.session(
      'StartApplicationSessionPosResponse',
      leaf('sessionID', sessionId),
      leaf('actualProtocolVersion', protocolVersion),
      leaf('actualSessionDuration', durationSec),
    );
  }

  /** ECMA-354: `errorCode` is a choice; the simulator only uses `definedError`. */
  startSessionNeg(definedError: string): string {
    return this.session(
      'StartApplicationSessionNegResponse',
      el('errorCode', leaf('definedError', definedError)),
    );
  }

  // ECMA-354 Stop Application Session.
  stopSessionPos(): string {
    return this.session('StopApplicationSessionPosResponse');
  }

  stopSessionNeg(definedError: string): string {
    return this.session(
      'StopApplicationSessionNegResponse',
      el('errorCode', leaf('definedError', definedError)),
    );
  }

  // ECMA-354 Reset Application Session Timer.
  resetTimerPos(durationSec: number): string {
    return this.session(
      'ResetApplicationSessionTimerPosResponse',
      leaf('actualSessionDuration', durationSec),
    );
  }

  resetTimerNeg(definedError: string): string {
    return this.session(
      'ResetApplicationSessionTimerNegResponse',
      el('errorCode', leaf('definedError', definedError)),
    );
  }

  // ECMA-269 Monitor Start / Monitor Stop services.
  monitorStartResponse(monitorCrossRefId: string): string {
    return this.csta('MonitorStartResponse', leaf('monitorCrossRefID', monitorCrossRefId));
  }

  monitorStopResponse(): string {
    return this.csta('MonitorStopResponse');
  }

  // ECMA-269 System Status service (either direction) and its response.
  systemStatus(status: SystemStatusValue): string {
    return this.csta('SystemStatus', leaf('systemStatus', status));
  }

  systemStatusResponse(): string {
    return this.csta('SystemStatusResponse');
  }

  // ECMA-269 Route Register / Route Register Cancel services.
  routeRegisterResponse(routeRegisterReqId: string): string {
    return this.csta('RouteRegisterResponse', leaf('routeRegisterReqID', routeRegisterReqId));
  }

  routeRegisterCancelResponse(): string {
    return this.csta('RouteRegisterCancelResponse');
  }

  /** ECMA-269 Route Register Abort: the switch drops a registration on its own. */
  routeRegisterAbort(routeRegisterReqId: string): string {
    return this.csta('RouteRegisterAbort', leaf('routeRegisterReqID', routeRegisterReqId));
  }

  /** ECMA-269 Route Request (switch → application); ECMA-323 element order. */
  routeRequest(r: {
    crossRefId: string;
    routeRegisterReqId: string;
    currentRoute: DeviceValue;
    callingDevice: DeviceValue;
    routeingDevice: string;
    routedCall: { callId: string; deviceId: string };
  }): string {
    return this.csta(
      'RouteRequest',
      leaf('crossRefIdentifier', r.crossRefId),
      leaf('routeRegisterReqID', r.routeRegisterReqId),
      deviceChoice('currentRoute', r.currentRoute),
      deviceChoice('callingDevice', r.callingDevice),
      deviceChoice('routeingDevice', { kind: 'id', id: r.routeingDevice }),
      connectionXml('routedCall', r.routedCall.callId, r.routedCall.deviceId),
      leaf('priority', false),
    );
  }

  /** ECMA-269 Route Used: where the switch actually sent the call. */
  routeUsed(r: {
    crossRefId: string;
    routeRegisterReqId: string;
    routeUsed: string;
    callingDevice: DeviceValue;
  }): string {
    return this.csta(
      'RouteUsed',
      leaf('crossRefIdentifier', r.crossRefId),
      leaf('routeRegisterReqID', r.routeRegisterReqId),
      deviceChoice('routeUsed', { kind: 'id', id: r.routeUsed }),
      deviceChoice('callingDevice', r.callingDevice),
    );
  }

  /** ECMA-269 Route End; `errorValue` (a universal failure) is absent on a normal end. */
  routeEnd(r: { crossRefId: string; routeRegisterReqId: string; error?: CstaError }): string {
    return this.csta(
      'RouteEnd',
      leaf('crossRefIdentifier', r.crossRefId),
      leaf('routeRegisterReqID', r.routeRegisterReqId),
      r.error && el('errorValue', leaf(r.error.category, r.error.value)),
    );
  }

  /** ECMA-269 Snapshot Device response: the calls at the device and the state of each. */
  snapshotDeviceResponse(items: Array<{ callId: string; deviceId: string; state: string }>): string {
    const infos = items.map((i) =>
      el(
        'snapshotDeviceResponseInfo',
        el('connectionIdentifier', leaf('callID', i.callId), leaf('deviceID', i.deviceId)),
        el('localCallState', el('compoundCallState', leaf('localConnectionState', i.state))),
      ),
    );
    return this.csta('SnapshotDeviceResponse', el('crossRefIDorSnapshotData', el('snapshotData', ...infos)));
  }
}
