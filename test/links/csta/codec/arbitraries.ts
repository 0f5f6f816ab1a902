/** fast-check generators of typed CSTA messages, with text chosen to stress XML escaping. */
import fc from 'fast-check';
import type {
  ConnectionRef,
  CstaEvent,
  CstaEventName,
  CstaMessage,
  DeviceChoice,
  DeviceRef,
} from '../../../../src/links/csta/messages.js';

const LONG = process.env.RELAIS_LONG_TESTS === '1';

/**
 * Runs of a property test. 2,000 by default; in the suite's long mode (RELAIS_LONG_TESTS=1) the
 * fuzz properties share 1,000,000 runs by `share`.
 */
export function runs(share: number): number {
  return LONG ? Math.round(1_000_000 * share) : 2_000;
}
export const LONG_MODE = LONG;

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPACE_EDGES = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** Pieces that break naive XML writers and readers. */
const TRICKY = fc.constantFrom(
  '&',
  '<',
  '>',
  '"',
  "'",
  ']]>',
  '&amp;',
  '&lt;',
  '<!--',
  '<![CDATA[',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  'é',
  'ß',
  'Ω',
  '€',
  '北京',
  '😀',
  '\u00a0',
  '\u2028',
  '\u200b',
  '0',
  '+',
  ';',
  'N<',
);

/** Any text XML can carry (XML 1.0 chars), as a value is sent: without white space around it. */
export const xmlText: fc.Arbitrary<string> = fc
  .string({
    unit: fc.oneof(TRICKY, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    maxLength: 12,
  })
  .map((s) => s.replace(NOT_XML, '').replace(XML_SPACE_EDGES, ''));

/** Attribute values keep their white space. */
const attributeText: fc.Arbitrary<string> = fc
  .string({ unit: fc.oneof(TRICKY, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 8 })
  .map((s) => s.replace(NOT_XML, ''));

/** Numbers as switches send them: leading zeros, `+`, Unify decorations. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^\+?0{0,3}[0-9]{1,15}$/),
  fc
    .stringMatching(/^N<\+[1-9][0-9]{6,14}>(;displayNumber=[A-Za-z][A-Za-z ]{0,9})?$/)
    .map((s) => s.replace(XML_SPACE_EDGES, '')),
  xmlText,
);

const identifier = fc.oneof(numberText, xmlText);

const choice = fc.constantFrom<DeviceChoice>('notKnown', 'restricted', 'notRequired', 'notSpecified');

export const deviceRef: fc.Arbitrary<DeviceRef> = fc.oneof(
  fc.record({ id: identifier, typeOfNumber: attributeText }, { requiredKeys: ['id'] }),
  fc.record({ choice }),
);

export const connectionRef: fc.Arbitrary<ConnectionRef> = fc.record(
  { callId: identifier, deviceId: identifier },
  { requiredKeys: [] },
);

const EVENT_NAMES: readonly CstaEventName[] = [
  'CallCleared',
  'Conferenced',
  'ConnectionCleared',
  'Delivered',
  'Diverted',
  'Established',
  'Failed',
  'Held',
  'NetworkReached',
  'Originated',
  'Queued',
  'Retrieved',
  'ServiceInitiated',
  'Transfered',
];

/** ECMA-269 gives CallCleared no subject device and only Transfered/Conferenced a connection list. */
function eventFor(name: CstaEventName): fc.Arbitrary<CstaEvent> {
  const hasList = name === 'Transfered' || name === 'Conferenced';
  return fc
    .record(
      {
        monitorCrossRefId: identifier,
        connection: connectionRef,
        subjectDevice: deviceRef,
        callingDevice: deviceRef,
        calledDevice: deviceRef,
        networkCallingDevice: deviceRef,
        networkCalledDevice: deviceRef,
        associatedCallingDevice: deviceRef,
        associatedCalledDevice: deviceRef,
        lastRedirectionDevice: deviceRef,
        newDestination: deviceRef,
        transferredToDevice: deviceRef,
        addedParty: deviceRef,
        primaryOldCall: connectionRef,
        secondaryOldCall: connectionRef,
        connectionList: fc.array(
          fc.record({ newConnection: connectionRef, oldConnection: connectionRef }, { requiredKeys: [] }),
          { maxLength: 3 },
        ),
        localConnectionInfo: fc.constantFrom(
          'null',
          'initiated',
          'alerting',
          'connected',
          'hold',
          'queued',
          'fail',
        ),
        cause: fc.oneof(fc.constantFrom('newCall', 'normalClearing', 'redirected', 'transfer'), xmlText),
        numberQueued: fc.maxSafeNat(),
        correlatorData: xmlText,
      },
      { requiredKeys: ['monitorCrossRefId'] },
    )
    .map((fields) => {
      const event: CstaEvent = { name, ...fields };
      if (name === 'CallCleared') delete event.subjectDevice;
      if (!hasList) delete event.connectionList;
      return event;
    });
}

export const cstaEvent: fc.Arbitrary<CstaEvent> = fc
  .constantFrom(...EVENT_NAMES)
  .chain(eventFor)
  .map(plain);

const KNOWN_ROOTS = new Set([
  'StartApplicationSession',
  'StartApplicationSessionPosResponse',
  'StartApplicationSessionNegResponse',
  'StopApplicationSession',
  'StopApplicationSessionPosResponse',
  'ResetApplicationSessionTimer',
  'ResetApplicationSessionTimerPosResponse',
  'ResetApplicationSessionTimerNegResponse',
  'MonitorStart',
  'MonitorStartResponse',
  'MonitorStop',
  'MonitorStopResponse',
  'SystemStatus',
  'SystemStatusResponse',
  'RouteRegister',
  'RouteRegisterResponse',
  'RouteRegisterCancel',
  'RouteRegisterCancelResponse',
  'RouteRegisterAbort',
  'RouteRequest',
  'ReRoute',
  'RouteSelect',
  'RouteUsed',
  'RouteEnd',
  'CSTAErrorCode',
  'TransferredEvent',
  ...EVENT_NAMES.map((n) => `${n}Event`),
]);

const ERROR_CATEGORIES = fc.constantFrom(
  'operation',
  'security',
  'stateIncompatibility',
  'systemResourceAvailability',
  'subscribedResourceAvailability',
  'performanceManagement',
  'privateData',
  'unspecified',
);

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/**
 * Plain objects all the way down, without undefined properties: fc.record may build objects with
 * a null prototype, and the decoder never sets a key it has no value for.
 */
function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plain) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.map(([k, v]) => [k, plain(v)])) as T;
}

const session = identifier;
const duration = fc.maxSafeNat();
const reqId = identifier;

/** Every message type. StopApplicationSession and RouteEnd always carry what the encoder would default. */
export const cstaMessage: fc.Arbitrary<CstaMessage> = fc
  .oneof(
    fc.record({
      type: fc.constant('StartApplicationSession' as const),
      applicationId: identifier,
      protocolVersions: fc.array(xmlText, { maxLength: 3 }),
      sessionDuration: opt(duration),
    }),
    fc.record({
      type: fc.constant('StartApplicationSessionPosResponse' as const),
      sessionId: session,
      protocolVersion: opt(xmlText),
      sessionDuration: opt(duration),
    }),
    fc.record({ type: fc.constant('StartApplicationSessionNegResponse' as const), errorCode: xmlText }),
    fc.record({
      type: fc.constant('StopApplicationSession' as const),
      sessionId: session,
      sessionEndReason: xmlText,
    }),
    fc.constant({ type: 'StopApplicationSessionPosResponse' as const }),
    fc.record({
      type: fc.constant('ResetApplicationSessionTimer' as const),
      sessionId: session,
      sessionDuration: opt(duration),
    }),
    fc.record({
      type: fc.constant('ResetApplicationSessionTimerPosResponse' as const),
      sessionDuration: opt(duration),
    }),
    fc.record({ type: fc.constant('ResetApplicationSessionTimerNegResponse' as const), errorCode: xmlText }),
    fc.record({
      type: fc.constant('MonitorStart' as const),
      device: identifier,
      monitorType: opt(fc.constantFrom('device' as const, 'call' as const)),
    }),
    fc.record({ type: fc.constant('MonitorStartResponse' as const), monitorCrossRefId: identifier }),
    fc.record({ type: fc.constant('MonitorStop' as const), monitorCrossRefId: identifier }),
    fc.constant({ type: 'MonitorStopResponse' as const }),
    fc.record({ type: fc.constant('SystemStatus' as const), status: xmlText }),
    fc.constant({ type: 'SystemStatusResponse' as const }),
    fc.record({ type: fc.constant('RouteRegister' as const), routingDevice: opt(identifier) }),
    fc.record({ type: fc.constant('RouteRegisterResponse' as const), routeRegisterReqId: reqId }),
    fc.record({ type: fc.constant('RouteRegisterCancel' as const), routeRegisterReqId: reqId }),
    fc.constant({ type: 'RouteRegisterCancelResponse' as const }),
    fc.record({ type: fc.constant('RouteRegisterAbort' as const), routeRegisterReqId: reqId }),
    fc.record({
      type: fc.constant('RouteRequest' as const),
      crossRefId: identifier,
      routeRegisterReqId: opt(reqId),
      currentRoute: opt(deviceRef),
      callingDevice: opt(deviceRef),
      routedCall: opt(connectionRef),
      routeSelAlgorithm: opt(xmlText),
      priority: opt(fc.boolean()),
      correlatorData: opt(xmlText),
    }),
    fc.record({
      type: fc.constant('ReRoute' as const),
      crossRefId: identifier,
      routeRegisterReqId: opt(reqId),
    }),
    fc.record({
      type: fc.constant('RouteSelect' as const),
      crossRefId: identifier,
      routeRegisterReqId: opt(reqId),
      routeSelected: identifier,
      routeUsedReq: opt(fc.boolean()),
      correlatorData: opt(xmlText),
    }),
    fc.record({
      type: fc.constant('RouteUsed' as const),
      crossRefId: identifier,
      routeRegisterReqId: opt(reqId),
      routeUsed: opt(deviceRef),
      callingDevice: opt(deviceRef),
    }),
    fc
      .record({
        type: fc.constant('RouteEnd' as const),
        crossRefId: identifier,
        routeRegisterReqId: opt(reqId),
        error: opt(fc.record({ errorValue: xmlText, errorCategory: ERROR_CATEGORIES })),
      })
      .map(({ error, ...rest }) => ({ ...rest, ...error })),
    fc.record({ type: fc.constant('CSTAErrorCode' as const), category: ERROR_CATEGORIES, value: xmlText }),
    cstaEvent.map((event) => ({ type: 'Event' as const, event })),
    fc
      .stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,24}$/)
      .filter((name) => !KNOWN_ROOTS.has(name))
      .map((name) => ({ type: 'Unknown' as const, name })),
  )
  .map((m) => plain(m) as CstaMessage);
