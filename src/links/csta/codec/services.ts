/**
 * The layout of every service message (requests, responses, errors) as ECMA-323 and ECMA-354 write
 * them, in the standards' element order. Decoder and encoder both read this table.
 */
import type { ServiceSchema, ServiceType } from './schema.js';

const crossRefId = { kind: 'text', path: ['crossRefIdentifier'], required: true } as const;
const routeRegisterReqId = { kind: 'text', path: ['routeRegisterReqID'] } as const;

export const SERVICE_SCHEMAS: { readonly [T in ServiceType]: ServiceSchema<T> } = {
  // ECMA-354, StartApplicationSession service.
  StartApplicationSession: {
    root: 'StartApplicationSession',
    session: true,
    fields: {
      applicationId: { kind: 'text', path: ['applicationInfo', 'applicationID'], required: true },
      protocolVersions: {
        kind: 'list',
        path: ['requestedProtocolVersions'],
        item: 'protocolVersion',
        required: true,
      },
      sessionDuration: { kind: 'int', path: ['requestedSessionDuration'] },
    },
  },
  StartApplicationSessionPosResponse: {
    root: 'StartApplicationSessionPosResponse',
    session: true,
    fields: {
      sessionId: { kind: 'text', path: ['sessionID'], required: true },
      protocolVersion: { kind: 'text', path: ['actualProtocolVersion'] },
      sessionDuration: { kind: 'int', path: ['actualSessionDuration'] },
    },
  },
  StartApplicationSessionNegResponse: {
    root: 'StartApplicationSessionNegResponse',
    session: true,
    fields: { errorCode: { kind: 'choiceText', path: ['errorCode'], wrap: 'definedError', required: true } },
  },
  // ECMA-354, StopApplicationSession: sessionEndReason is mandatory, `normal` unless told.
  StopApplicationSession: {
    root: 'StopApplicationSession',
    session: true,
    fields: {
      sessionId: { kind: 'text', path: ['sessionID'], required: true },
      sessionEndReason: {
        kind: 'choiceText',
        path: ['sessionEndReason'],
        wrap: 'definedEndReason',
        orElse: 'normal',
      },
    },
  },
  StopApplicationSessionPosResponse: { root: 'StopApplicationSessionPosResponse', session: true, fields: {} },
  // ECMA-354, ResetApplicationSessionTimer (the keep-alive).
  ResetApplicationSessionTimer: {
    root: 'ResetApplicationSessionTimer',
    session: true,
    fields: {
      sessionId: { kind: 'text', path: ['sessionID'], required: true },
      sessionDuration: { kind: 'int', path: ['requestedSessionDuration'] },
    },
  },
  ResetApplicationSessionTimerPosResponse: {
    root: 'ResetApplicationSessionTimerPosResponse',
    session: true,
    fields: { sessionDuration: { kind: 'int', path: ['actualSessionDuration'] } },
  },
  ResetApplicationSessionTimerNegResponse: {
    root: 'ResetApplicationSessionTimerNegResponse',
    session: true,
    fields: { errorCode: { kind: 'choiceText', path: ['errorCode'], wrap: 'definedError', required: true } },
  },
  // ECMA-269 §13.1, MonitorStart: monitorObject is a choice of deviceObject and callObject.
  MonitorStart: {
    root: 'MonitorStart',
    fields: {
      device: { kind: 'text', path: ['monitorObject', 'deviceObject'], required: true },
      monitorType: { kind: 'enum', path: ['monitorType'], values: ['device', 'call'] },
    },
  },
  MonitorStartResponse: {
    root: 'MonitorStartResponse',
    fields: { monitorCrossRefId: { kind: 'text', path: ['monitorCrossRefID'], required: true } },
  },
  // ECMA-269 §13.1, MonitorStop.
  MonitorStop: {
    root: 'MonitorStop',
    fields: { monitorCrossRefId: { kind: 'text', path: ['monitorCrossRefID'], required: true } },
  },
  MonitorStopResponse: { root: 'MonitorStopResponse', fields: {} },
  // ECMA-269 §11, SystemStatus (the switch reports `normal`, `initializing`, `disabled`…).
  SystemStatus: {
    root: 'SystemStatus',
    fields: { status: { kind: 'text', path: ['systemStatus'], required: true } },
  },
  SystemStatusResponse: { root: 'SystemStatusResponse', fields: {} },
  // ECMA-269 §20.1, route registration: RouteRegister, RouteRegisterCancel, RouteRegisterAbort.
  RouteRegister: {
    root: 'RouteRegister',
    // ECMA-269 spells it "routeing" (ASN.1 routeingDevice); the model field keeps the plain spelling.
    fields: { routingDevice: { kind: 'text', path: ['routeingDevice'] } },
  },
  RouteRegisterResponse: {
    root: 'RouteRegisterResponse',
    fields: { routeRegisterReqId: { ...routeRegisterReqId, required: true } },
  },
  RouteRegisterCancel: {
    root: 'RouteRegisterCancel',
    fields: { routeRegisterReqId: { ...routeRegisterReqId, required: true } },
  },
  RouteRegisterCancelResponse: { root: 'RouteRegisterCancelResponse', fields: {} },
  RouteRegisterAbort: {
    root: 'RouteRegisterAbort',
    fields: { routeRegisterReqId: { ...routeRegisterReqId, required: true } },
  },
  // ECMA-269 §20.2, RouteRequest (switch → application).
  RouteRequest: {
    root: 'RouteRequest',
    fields: {
      crossRefId,
      routeRegisterReqId,
      currentRoute: { kind: 'device', path: ['currentRoute'] },
      callingDevice: { kind: 'device', path: ['callingDevice'] },
      routedCall: { kind: 'connection', path: ['routedCall'] },
      routeSelAlgorithm: { kind: 'text', path: ['routeSelAlgorithm'] },
      priority: { kind: 'bool', path: ['priority'] },
      correlatorData: { kind: 'text', path: ['correlatorData'] },
    },
  },
  // ECMA-269 §20.2, ReRoute (the switch asks for another route).
  ReRoute: { root: 'ReRoute', fields: { crossRefId, routeRegisterReqId } },
  // ECMA-269 §20.2, RouteSelect (application → switch): the destination as a plain DeviceID.
  RouteSelect: {
    root: 'RouteSelect',
    fields: {
      crossRefId,
      routeRegisterReqId,
      routeSelected: { kind: 'text', path: ['routeSelected'], required: true },
      routeUsedReq: { kind: 'bool', path: ['routeUsedReq'] },
      correlatorData: { kind: 'text', path: ['correlatorData'] },
    },
  },
  // ECMA-269 §20.2, RouteUsed.
  RouteUsed: {
    root: 'RouteUsed',
    fields: {
      crossRefId,
      routeRegisterReqId,
      routeUsed: { kind: 'device', path: ['routeUsed'] },
      callingDevice: { kind: 'device', path: ['callingDevice'] },
    },
  },
  // ECMA-269 §20.2, RouteEnd: errorValue is an error choice (§9.3), `operation` unless told.
  RouteEnd: {
    root: 'RouteEnd',
    fields: {
      crossRefId,
      routeRegisterReqId,
      errorValue: { kind: 'choiceText', path: ['errorValue'], wrap: 'operation', wrapKey: 'errorCategory' },
      errorCategory: { kind: 'choiceName', path: ['errorValue'] },
    },
  },
  // ECMA-269 §9.3, CSTAErrorCode: the one child names the category, its text the value.
  CSTAErrorCode: {
    root: 'CSTAErrorCode',
    fields: {
      category: { kind: 'choiceName', path: [], required: true },
      value: { kind: 'choiceText', path: [], wrap: 'unspecified', wrapKey: 'category', required: true },
    },
  },
};
