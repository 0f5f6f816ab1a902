/**
 * ECMA-323 documents of the ECMA-269 call-control events. Element order follows the ECMA-323
 * schemas: the event's own connection and subject device first, then calling / called / last
 * redirection devices, `localConnectionInfo`, `cause`, and the network-provided devices.
 */
import type { CallEventBody, ConnRef, LocalConnectionState } from './events.js';
import { connectionXml, deviceChoice } from './xml-services.js';
import { el, leaf, type Xml, xmlDocument } from './xml-writer.js';

function conn(name: string, c: ConnRef): Xml {
  return connectionXml(name, c.callId, c.deviceId);
}

/** ECMA-269 logical device feature events (agent states), as the switch reports them. */
export type AgentStateEventName =
  | 'AgentLoggedOn'
  | 'AgentLoggedOff'
  | 'AgentReady'
  | 'AgentNotReady'
  | 'AgentBusy'
  | 'AgentWorkingAfterCall';

/** An agent state event for one monitor of the agent's device: agentDevice, agentID, cause. */
export function renderAgentEvent(
  namespace: string | undefined,
  monitorCrossRefId: string,
  name: AgentStateEventName,
  device: string,
  agentId: string | undefined,
  cause: string | undefined,
): string {
  return xmlDocument(
    `${name}Event`,
    namespace,
    leaf('monitorCrossRefID', monitorCrossRefId),
    deviceChoice('agentDevice', { kind: 'id', id: device }),
    leaf('agentID', agentId),
    leaf('cause', cause),
  );
}

/** Renders one event for one monitor. */
export function renderEvent(
  namespace: string | undefined,
  monitorCrossRefId: string,
  body: CallEventBody,
  lci: LocalConnectionState,
): string {
  const head = leaf('monitorCrossRefID', monitorCrossRefId);
  const state = leaf('localConnectionInfo', lci);
  const cause = leaf('cause', body.cause);
  const doc = (...children: (Xml | undefined)[]) =>
    xmlDocument(`${body.name}Event`, namespace, head, ...children);
  switch (body.name) {
    case 'Delivered':
      return doc(
        conn('connection', body.connection),
        deviceChoice('alertingDevice', body.alertingDevice),
        ...parties(body),
        state,
        cause,
        ...network(body),
      );
    case 'Queued':
      return doc(
        conn('queuedConnection', body.queuedConnection),
        deviceChoice('queue', body.queue),
        ...parties(body),
        leaf('numberQueued', body.numberQueued),
        state,
        cause,
        ...network(body),
      );
    case 'Diverted':
      return doc(
        conn('connection', body.connection),
        deviceChoice('divertingDevice', body.divertingDevice),
        deviceChoice('newDestination', body.newDestination),
        ...parties(body),
        state,
        cause,
        ...network(body),
      );
    case 'Established':
      return doc(
        conn('establishedConnection', body.establishedConnection),
        deviceChoice('answeringDevice', body.answeringDevice),
        ...parties(body),
        state,
        cause,
        ...network(body),
      );
    case 'Failed':
      return doc(
        conn('failedConnection', body.failedConnection),
        deviceChoice('failingDevice', body.failingDevice),
        ...parties(body),
        state,
        cause,
        ...network(body),
      );
    case 'Held':
      return doc(
        conn('heldConnection', body.heldConnection),
        deviceChoice('holdingDevice', body.holdingDevice),
        state,
        cause,
      );
    case 'Retrieved':
      return doc(
        conn('retrievedConnection', body.retrievedConnection),
        deviceChoice('retrievingDevice', body.retrievingDevice),
        state,
        cause,
      );
    case 'ServiceInitiated':
      return doc(
        conn('initiatedConnection', body.initiatedConnection),
        deviceChoice('initiatingDevice', body.initiatingDevice),
        state,
        cause,
      );
    case 'Originated':
      return doc(
        conn('originatedConnection', body.originatedConnection),
        deviceChoice('callingDevice', body.callingDevice),
        deviceChoice('calledDevice', body.calledDevice),
        state,
        cause,
      );
    case 'Transfered':
      return doc(
        conn('primaryOldCall', body.primaryOldCall),
        conn('secondaryOldCall', body.secondaryOldCall),
        deviceChoice('transferringDevice', body.transferringDevice),
        deviceChoice('transferredToDevice', body.transferredToDevice),
        el(
          'transferredConnections',
          ...body.transferredConnections.map((c) =>
            el(
              'connectionListItem',
              conn('newConnection', c.newConnection),
              conn('oldConnection', c.oldConnection),
              el('endpoint', leaf('deviceID', c.endpoint)),
            ),
          ),
        ),
        state,
        cause,
      );
    case 'ConnectionCleared':
      return doc(
        conn('droppedConnection', body.droppedConnection),
        deviceChoice('releasingDevice', body.releasingDevice),
        state,
        cause,
      );
    case 'CallCleared':
      return doc(el('clearedCall', leaf('callID', body.clearedCall.callId)), cause);
  }
}

function parties(b: Extract<CallEventBody, { callingDevice: unknown; lastRedirectionDevice: unknown }>) {
  return [
    deviceChoice('callingDevice', b.callingDevice),
    deviceChoice('calledDevice', b.calledDevice),
    deviceChoice('lastRedirectionDevice', b.lastRedirectionDevice),
  ];
}

function network(b: Extract<CallEventBody, { networkCallingDevice: unknown }>) {
  return [
    deviceChoice('networkCallingDevice', b.networkCallingDevice),
    deviceChoice('networkCalledDevice', b.networkCalledDevice),
  ];
}
