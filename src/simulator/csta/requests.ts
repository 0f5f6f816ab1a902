/**
 * What a client sends to the switch, as typed requests. Matching is on local names only, so ed2,
 * ed3, ECMA-354 and namespace-less documents all work; older names of the routeing services
 * (`RouteSelectRequest`, `RouteEndRequest`) are accepted too.
 */
import { child, children, childText, deviceText, type XmlNode } from './xml-reader.js';

export type ClientMessage =
  // ECMA-354 application session.
  | {
      type: 'StartApplicationSession';
      applicationId?: string;
      protocolVersions: string[];
      sessionDuration?: number;
    }
  | { type: 'StopApplicationSession'; sessionId?: string }
  | { type: 'ResetApplicationSessionTimer'; sessionId?: string; sessionDuration?: number }
  // ECMA-269 monitoring and snapshot.
  | { type: 'MonitorStart'; device?: string; callObject: boolean }
  | { type: 'MonitorStop'; monitorCrossRefId?: string }
  | { type: 'SnapshotDevice'; device?: string }
  // ECMA-269 status reporting: a request from the client, or its answer to the switch's.
  | { type: 'SystemStatus'; status?: string }
  | { type: 'SystemStatusResponse' }
  // ECMA-269 routeing.
  | {
      type: 'RouteRegister';
      routeingDevice?: string;
      /** The client wrote `routingDevice`: not an ECMA-323 element, reported as a protocol error. */
      misspelled: boolean;
    }
  | { type: 'RouteRegisterCancel'; routeRegisterReqId?: string }
  | {
      type: 'RouteSelect';
      crossRefId?: string;
      routeRegisterReqId?: string;
      routeSelected?: string;
      routeUsedReq: boolean;
    }
  | { type: 'RouteEnd'; crossRefId?: string; routeRegisterReqId?: string; errorValue?: string }
  /** Any other well-formed document: the switch answers `serviceNotSupported`. */
  | { type: 'Unknown'; name: string };

export type ClientMessageType = ClientMessage['type'];

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  return Number(value);
}

function bool(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** Turns a parsed document into a typed client message. */
export function parseClientMessage(root: XmlNode): ClientMessage {
  switch (root.name) {
    case 'StartApplicationSession':
      return {
        type: 'StartApplicationSession',
        applicationId: childText(child(root, 'applicationInfo'), 'applicationID'),
        protocolVersions: children(child(root, 'requestedProtocolVersions'), 'protocolVersion').map(
          (n) => n.text,
        ),
        sessionDuration: int(childText(root, 'requestedSessionDuration')),
      };
    case 'StopApplicationSession':
      return { type: 'StopApplicationSession', sessionId: childText(root, 'sessionID') };
    case 'ResetApplicationSessionTimer':
      return {
        type: 'ResetApplicationSessionTimer',
        sessionId: childText(root, 'sessionID'),
        sessionDuration: int(childText(root, 'requestedSessionDuration')),
      };
    case 'MonitorStart': {
      const object = child(root, 'monitorObject');
      return {
        type: 'MonitorStart',
        device: deviceText(child(object, 'deviceObject')),
        callObject: child(object, 'callObject') !== undefined,
      };
    }
    case 'MonitorStop':
      return { type: 'MonitorStop', monitorCrossRefId: childText(root, 'monitorCrossRefID') };
    case 'SnapshotDevice':
      return { type: 'SnapshotDevice', device: deviceText(child(root, 'snapshotObject')) };
    case 'SystemStatus':
      return { type: 'SystemStatus', status: childText(root, 'systemStatus') };
    case 'SystemStatusResponse':
      return { type: 'SystemStatusResponse' };
    case 'RouteRegister': {
      // ECMA-323 spells it `routeingDevice`; the American spelling is taken but flagged.
      const misspelled = child(root, 'routingDevice');
      return {
        type: 'RouteRegister',
        routeingDevice: deviceText(child(root, 'routeingDevice') ?? misspelled),
        misspelled: misspelled !== undefined,
      };
    }
    case 'RouteRegisterCancel':
      return { type: 'RouteRegisterCancel', routeRegisterReqId: childText(root, 'routeRegisterReqID') };
    case 'RouteSelect':
    case 'RouteSelectRequest':
      return {
        type: 'RouteSelect',
        crossRefId: childText(root, 'crossRefIdentifier'),
        routeRegisterReqId: childText(root, 'routeRegisterReqID'),
        routeSelected: deviceText(child(root, 'routeSelected')),
        routeUsedReq: bool(childText(root, 'routeUsedReq')),
      };
    case 'RouteEnd':
    case 'RouteEndRequest':
      return {
        type: 'RouteEnd',
        crossRefId: childText(root, 'crossRefIdentifier'),
        routeRegisterReqId: childText(root, 'routeRegisterReqID'),
        errorValue: child(root, 'errorValue')?.children[0]?.text,
      };
    default:
      return { type: 'Unknown', name: root.name };
  }
}
