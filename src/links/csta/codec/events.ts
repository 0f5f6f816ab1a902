/**
 * The layout of the call-control events (ECMA-269 §17.2; ECMA-323 keeps its names). All events share one set
 * of parameters; what differs is the name of the event's own connection element, of the device
 * acting in it (`subjectDevice`), and of the connection list of Transfered/Conferenced.
 */
import type { CstaEventName } from '../messages.js';
import type { EventFields } from './schema.js';

interface EventShape {
  name: CstaEventName;
  /** The event's own ConnectionID element; `connection` is accepted too (some vendors use it everywhere). */
  connection: string;
  /** The SubjectDeviceID element, if the event has one. */
  subject?: string;
  /** Encode the subject as a plain DeviceID (OriginatedEvent's originatingDevice). */
  plainSubject?: true;
  /** The ConnectionList element of Transfered and Conferenced. */
  connectionList?: string;
}

const device = (element: string) => ({ kind: 'device', path: [element] }) as const;
const connection = (element: string) => ({ kind: 'connection', path: [element] }) as const;
const text = (element: string) => ({ kind: 'text', path: [element] }) as const;

/** Field order follows ECMA-323's sequences closely enough for strict readers of the simulator's output. */
function eventFields(shape: EventShape): EventFields {
  const own = shape.connection === 'connection' ? undefined : ['connection'];
  return {
    monitorCrossRefId: { kind: 'text', path: ['monitorCrossRefID'], required: true },
    connection: { kind: 'connection', path: [shape.connection], ...(own === undefined ? {} : { also: own }) },
    primaryOldCall: connection('primaryOldCall'),
    secondaryOldCall: connection('secondaryOldCall'),
    subjectDevice:
      shape.subject === undefined
        ? { kind: 'none' }
        : { kind: 'device', path: [shape.subject], ...(shape.plainSubject ? { plain: true } : {}) },
    newDestination: device('newDestination'),
    transferredToDevice: device('transferredToDevice'),
    addedParty: device('addedParty'),
    connectionList:
      shape.connectionList === undefined
        ? { kind: 'none' }
        : { kind: 'connectionList', path: [shape.connectionList] },
    callingDevice: device('callingDevice'),
    calledDevice: device('calledDevice'),
    lastRedirectionDevice: device('lastRedirectionDevice'),
    numberQueued: { kind: 'int', path: ['numberQueued'] },
    localConnectionInfo: text('localConnectionInfo'),
    correlatorData: text('correlatorData'),
    agentId: text('agentID'),
    cause: text('cause'),
    networkCallingDevice: device('networkCallingDevice'),
    networkCalledDevice: device('networkCalledDevice'),
    associatedCallingDevice: device('associatedCallingDevice'),
    associatedCalledDevice: device('associatedCalledDevice'),
  };
}

const SHAPES: readonly EventShape[] = [
  // ECMA-269 §17.2.2 Call Cleared: the whole call is gone; no subject device.
  { name: 'CallCleared', connection: 'clearedCall' },
  // §17.2.3 Conferenced.
  {
    name: 'Conferenced',
    connection: 'connection',
    subject: 'conferencingDevice',
    connectionList: 'conferenceConnections',
  },
  // §17.2.4 Connection Cleared.
  { name: 'ConnectionCleared', connection: 'droppedConnection', subject: 'releasingDevice' },
  // §17.2.5 Delivered.
  { name: 'Delivered', connection: 'connection', subject: 'alertingDevice' },
  // §17.2.7 Diverted.
  { name: 'Diverted', connection: 'connection', subject: 'divertingDevice' },
  // §17.2.8 Established.
  { name: 'Established', connection: 'establishedConnection', subject: 'answeringDevice' },
  // §17.2.9 Failed.
  { name: 'Failed', connection: 'failedConnection', subject: 'failingDevice' },
  // §17.2.10 Held.
  { name: 'Held', connection: 'heldConnection', subject: 'holdingDevice' },
  // §17.2.12 Network Reached: the trunk towards the network acts.
  { name: 'NetworkReached', connection: 'outboundConnection', subject: 'networkInterfaceUsed' },
  // §17.2.14 Originated: originatingDevice is a plain DeviceID (callingDevice is the SubjectDeviceID).
  {
    name: 'Originated',
    connection: 'originatedConnection',
    subject: 'originatingDevice',
    plainSubject: true,
  },
  // §17.2.15 Queued: the queue (ACD or hunt group) is the subject.
  { name: 'Queued', connection: 'queuedConnection', subject: 'queue' },
  // §17.2.16 Retrieved.
  { name: 'Retrieved', connection: 'retrievedConnection', subject: 'retrievingDevice' },
  // §17.2.17 Service Initiated.
  { name: 'ServiceInitiated', connection: 'initiatedConnection', subject: 'initiatingDevice' },
  // Logical device feature events: the agent's device is the subject; no connection.
  ...(
    [
      'AgentLoggedOn',
      'AgentLoggedOff',
      'AgentReady',
      'AgentNotReady',
      'AgentBusy',
      'AgentWorkingAfterCall',
    ] as const
  ).map((name): EventShape => ({ name, connection: 'connection', subject: 'agentDevice' })),
  // §17.2.18 Transferred (ECMA-323 keeps the `Transfered` spelling of earlier editions).
  {
    name: 'Transfered',
    connection: 'connection',
    subject: 'transferringDevice',
    connectionList: 'transferredConnections',
  },
];

export interface EventSchema {
  name: CstaEventName;
  /** The root element the encoder writes. */
  root: string;
  fields: EventFields;
}

export const EVENT_SCHEMAS: ReadonlyMap<CstaEventName, EventSchema> = new Map(
  SHAPES.map((shape) => [
    shape.name,
    { name: shape.name, root: `${shape.name}Event`, fields: eventFields(shape) },
  ]),
);

/** Root local name → schema, with the corrected spelling `TransferredEvent` accepted too. */
export const EVENT_ROOTS: ReadonlyMap<string, EventSchema> = new Map([
  ...[...EVENT_SCHEMAS.values()].map((s) => [s.root, s] as const),
  ['TransferredEvent', EVENT_SCHEMAS.get('Transfered') as EventSchema],
]);
