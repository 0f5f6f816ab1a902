/**
 * CSTA documents as switches and applications put them on the wire: ECMA-323 examples, and the
 * shapes seen in vendor traces (Unify OpenScape 4000 / OpenScape Voice with `N<+49…>` identifiers
 * and private data, Alcatel-Lucent OmniPCX in the edition 2 namespace, namespace-less gateways,
 * prefixed documents). Numbers are fictitious.
 */
import type { CstaMessage } from '../../../../src/links/csta/messages.js';

export const NS = {
  ed2: 'http://www.ecma.ch/standards/ecma-323/csta/ed2',
  ed3: 'http://www.ecma-international.org/standards/ecma-323/csta/ed3',
  ed4: 'http://www.ecma-international.org/standards/ecma-323/csta/ed4',
  ed5: 'http://www.ecma-international.org/standards/ecma-323/csta/ed5',
  ed6: 'http://www.ecma-international.org/standards/ecma-323/csta/ed6',
  appl: 'http://www.ecma-international.org/standards/ecma-354/appl_session',
} as const;

export interface Fixture {
  name: string;
  xml: string;
  namespace: string | undefined;
  want: CstaMessage;
}

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Unify OpenScape 4000 style (edition 3), pretty-printed, with private data the codec ignores. */
const UNIFY_DELIVERED = `${DECL}
<DeliveredEvent xmlns="${NS.ed3}">
  <monitorCrossRefID>4711</monitorCrossRefID>
  <connection>
    <callID>FF00010000000000</callID>
    <deviceID>N&lt;+4930123452001&gt;</deviceID>
  </connection>
  <alertingDevice>
    <deviceIdentifier>N&lt;+4930123452001&gt;;displayNumber=Agent 2001</deviceIdentifier>
  </alertingDevice>
  <callingDevice>
    <deviceIdentifier>N&lt;+4989765432&gt;;displayNumber=Hans M&#xFC;ller;noa=international</deviceIdentifier>
  </callingDevice>
  <calledDevice>
    <deviceIdentifier>N&lt;+4930123452000&gt;</deviceIdentifier>
  </calledDevice>
  <lastRedirectionDevice>
    <notRequired/>
  </lastRedirectionDevice>
  <localConnectionInfo>alerting</localConnectionInfo>
  <cause>newCall</cause>
  <networkCallingDevice>
    <deviceIdentifier>+4989765432</deviceIdentifier>
  </networkCallingDevice>
  <networkCalledDevice>
    <deviceIdentifier>+4930123452000</deviceIdentifier>
  </networkCalledDevice>
  <extensions>
    <privateData>
      <private>
        <osv:callData xmlns:osv="http://www.example.com/schema/unify-private">
          <osv:globalCallID>00A1B2C3D4E5F607</osv:globalCallID>
          <osv:deviceIdentifier>must not be read</osv:deviceIdentifier>
        </osv:callData>
      </private>
    </privateData>
  </extensions>
</DeliveredEvent>`;

/** Alcatel-Lucent OmniPCX style: edition 2 namespace, compact, French national numbers. */
const ALCATEL_DELIVERED = `${DECL}<DeliveredEvent xmlns="${NS.ed2}"><monitorCrossRefID>0012</monitorCrossRefID><connection><callID>0102</callID><deviceID>35001</deviceID></connection><alertingDevice><deviceIdentifier>35001</deviceIdentifier></alertingDevice><callingDevice><deviceIdentifier>0612345678</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>0142685300</deviceIdentifier></calledDevice><lastRedirectionDevice><notKnown/></lastRedirectionDevice><localConnectionInfo>alerting</localConnectionInfo><cause>newCall</cause></DeliveredEvent>`;

/** A gateway that sends no namespace and writes devices as plain text. */
const BARE_DELIVERED = `<DeliveredEvent>
<monitorCrossRefID>7</monitorCrossRefID>
<connection><callID>42</callID><deviceID>2001</deviceID></connection>
<alertingDevice>2001</alertingDevice>
<callingDevice>00612345678</callingDevice>
<calledDevice>2001</calledDevice>
<lastRedirectionDevice><notRequired/></lastRedirectionDevice>
<cause>newCall</cause>
</DeliveredEvent>`;

/** Every element prefixed, edition 5, CRLF line ends. */
const PREFIXED_DELIVERED = [
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`,
  `<csta:DeliveredEvent xmlns:csta="${NS.ed5}">`,
  `<csta:monitorCrossRefID>99</csta:monitorCrossRefID>`,
  `<csta:connection><csta:callID>7f</csta:callID><csta:deviceID>2001</csta:deviceID></csta:connection>`,
  `<csta:alertingDevice><csta:deviceIdentifier>2001</csta:deviceIdentifier></csta:alertingDevice>`,
  `<csta:callingDevice><csta:restricted/></csta:callingDevice>`,
  `<csta:calledDevice><csta:deviceIdentifier typeOfNumber="dialingNumber">0800123456</csta:deviceIdentifier></csta:calledDevice>`,
  `<csta:lastRedirectionDevice><csta:notSpecified/></csta:lastRedirectionDevice>`,
  `<csta:cause>newCall</csta:cause>`,
  `</csta:DeliveredEvent>`,
].join('\r\n');

const deliveredAlcatel: CstaMessage = {
  type: 'Event',
  event: {
    name: 'Delivered',
    monitorCrossRefId: '0012',
    connection: { callId: '0102', deviceId: '35001' },
    subjectDevice: { id: '35001' },
    callingDevice: { id: '0612345678' },
    calledDevice: { id: '0142685300' },
    lastRedirectionDevice: { choice: 'notKnown' },
    localConnectionInfo: 'alerting',
    cause: 'newCall',
  },
};

const ev =
  (xmlBody: string, ns: string = NS.ed3) =>
  (root: string) =>
    `${DECL}<${root} xmlns="${ns}">${xmlBody}</${root}>`;

export const EVENT_FIXTURES: readonly Fixture[] = [
  {
    name: 'Delivered, Unify OpenScape 4000 style (ed3, N<…> identifiers, private data)',
    xml: UNIFY_DELIVERED,
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Delivered',
        monitorCrossRefId: '4711',
        connection: { callId: 'FF00010000000000', deviceId: 'N<+4930123452001>' },
        subjectDevice: { id: 'N<+4930123452001>;displayNumber=Agent 2001' },
        callingDevice: { id: 'N<+4989765432>;displayNumber=Hans Müller;noa=international' },
        calledDevice: { id: 'N<+4930123452000>' },
        lastRedirectionDevice: { choice: 'notRequired' },
        localConnectionInfo: 'alerting',
        cause: 'newCall',
        networkCallingDevice: { id: '+4989765432' },
        networkCalledDevice: { id: '+4930123452000' },
      },
    },
  },
  {
    name: 'Delivered, Alcatel-Lucent style (ed2 namespace, national numbers)',
    xml: ALCATEL_DELIVERED,
    namespace: NS.ed2,
    want: deliveredAlcatel,
  },
  {
    name: 'Delivered, namespace-less gateway with plain-text devices',
    xml: BARE_DELIVERED,
    namespace: undefined,
    want: {
      type: 'Event',
      event: {
        name: 'Delivered',
        monitorCrossRefId: '7',
        connection: { callId: '42', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        callingDevice: { id: '00612345678' },
        calledDevice: { id: '2001' },
        lastRedirectionDevice: { choice: 'notRequired' },
        cause: 'newCall',
      },
    },
  },
  {
    name: 'Delivered, prefixed elements (ed5), CRLF',
    xml: PREFIXED_DELIVERED,
    namespace: NS.ed5,
    want: {
      type: 'Event',
      event: {
        name: 'Delivered',
        monitorCrossRefId: '99',
        connection: { callId: '7f', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        callingDevice: { choice: 'restricted' },
        calledDevice: { id: '0800123456', typeOfNumber: 'dialingNumber' },
        lastRedirectionDevice: { choice: 'notSpecified' },
        cause: 'newCall',
      },
    },
  },
  {
    name: 'Established (ed4, OpenScape Voice style)',
    xml: ev(
      `<monitorCrossRefID>1</monitorCrossRefID><establishedConnection><callID>FF0001</callID><deviceID>+4930123452001</deviceID></establishedConnection><answeringDevice><deviceIdentifier>+4930123452001</deviceIdentifier></answeringDevice><callingDevice><deviceIdentifier>+4989765432</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>+4930123452000</deviceIdentifier></calledDevice><lastRedirectionDevice><deviceIdentifier>+4930123452000</deviceIdentifier></lastRedirectionDevice><localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause>`,
      NS.ed4,
    )('EstablishedEvent'),
    namespace: NS.ed4,
    want: {
      type: 'Event',
      event: {
        name: 'Established',
        monitorCrossRefId: '1',
        connection: { callId: 'FF0001', deviceId: '+4930123452001' },
        subjectDevice: { id: '+4930123452001' },
        callingDevice: { id: '+4989765432' },
        calledDevice: { id: '+4930123452000' },
        lastRedirectionDevice: { id: '+4930123452000' },
        localConnectionInfo: 'connected',
        cause: 'newCall',
      },
    },
  },
  {
    name: 'ConnectionCleared',
    xml: ev(
      `<monitorCrossRefID>12</monitorCrossRefID><droppedConnection><callID>0102</callID><deviceID>35001</deviceID></droppedConnection><releasingDevice><deviceIdentifier>35001</deviceIdentifier></releasingDevice><localConnectionInfo>null</localConnectionInfo><cause>normalClearing</cause>`,
    )('ConnectionClearedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'ConnectionCleared',
        monitorCrossRefId: '12',
        connection: { callId: '0102', deviceId: '35001' },
        subjectDevice: { id: '35001' },
        localConnectionInfo: 'null',
        cause: 'normalClearing',
      },
    },
  },
  {
    name: 'Originated (originatingDevice is a plain DeviceID)',
    xml: ev(
      `<monitorCrossRefID>3</monitorCrossRefID><originatedConnection><callID>77</callID><deviceID>2001</deviceID></originatedConnection><callingDevice><deviceIdentifier>2001</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>0612345678</deviceIdentifier></calledDevice><originatingDevice>2001</originatingDevice><localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause>`,
    )('OriginatedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Originated',
        monitorCrossRefId: '3',
        connection: { callId: '77', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        callingDevice: { id: '2001' },
        calledDevice: { id: '0612345678' },
        localConnectionInfo: 'connected',
        cause: 'newCall',
      },
    },
  },
  {
    name: 'Diverted',
    xml: ev(
      `<monitorCrossRefID>5</monitorCrossRefID><connection><callID>88</callID><deviceID>2001</deviceID></connection><divertingDevice><deviceIdentifier>2001</deviceIdentifier></divertingDevice><newDestination><deviceIdentifier>2002</deviceIdentifier></newDestination><callingDevice><deviceIdentifier>0612345678</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>2001</deviceIdentifier></calledDevice><lastRedirectionDevice><deviceIdentifier>2001</deviceIdentifier></lastRedirectionDevice><localConnectionInfo>null</localConnectionInfo><cause>redirected</cause>`,
    )('DivertedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Diverted',
        monitorCrossRefId: '5',
        connection: { callId: '88', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        newDestination: { id: '2002' },
        callingDevice: { id: '0612345678' },
        calledDevice: { id: '2001' },
        lastRedirectionDevice: { id: '2001' },
        localConnectionInfo: 'null',
        cause: 'redirected',
      },
    },
  },
  {
    name: 'Transfered (the standard spelling) with its connection list',
    xml: ev(
      `<monitorCrossRefID>6</monitorCrossRefID><primaryOldCall><callID>10</callID><deviceID>2001</deviceID></primaryOldCall><secondaryOldCall><callID>11</callID><deviceID>2001</deviceID></secondaryOldCall><transferringDevice><deviceIdentifier>2001</deviceIdentifier></transferringDevice><transferredToDevice><deviceIdentifier>2002</deviceIdentifier></transferredToDevice><transferredConnections><connectionListItem><newConnection><callID>11</callID><deviceID>0612345678</deviceID></newConnection><oldConnection><callID>10</callID><deviceID>0612345678</deviceID></oldConnection><endpoint><deviceID>0612345678</deviceID></endpoint></connectionListItem><connectionListItem><newConnection><callID>11</callID><deviceID>2002</deviceID></newConnection></connectionListItem></transferredConnections><localConnectionInfo>null</localConnectionInfo><cause>transfer</cause>`,
    )('TransferedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Transfered',
        monitorCrossRefId: '6',
        primaryOldCall: { callId: '10', deviceId: '2001' },
        secondaryOldCall: { callId: '11', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        transferredToDevice: { id: '2002' },
        connectionList: [
          {
            newConnection: { callId: '11', deviceId: '0612345678' },
            oldConnection: { callId: '10', deviceId: '0612345678' },
          },
          { newConnection: { callId: '11', deviceId: '2002' } },
        ],
        localConnectionInfo: 'null',
        cause: 'transfer',
      },
    },
  },
  {
    name: 'TransferredEvent (corrected spelling) decodes the same',
    xml: ev(
      `<monitorCrossRefID>6</monitorCrossRefID><primaryOldCall><callID>10</callID></primaryOldCall><transferringDevice><deviceIdentifier>2001</deviceIdentifier></transferringDevice><transferredToDevice><deviceIdentifier>2002</deviceIdentifier></transferredToDevice><transferredConnections/><cause>transfer</cause>`,
      NS.ed6,
    )('TransferredEvent'),
    namespace: NS.ed6,
    want: {
      type: 'Event',
      event: {
        name: 'Transfered',
        monitorCrossRefId: '6',
        primaryOldCall: { callId: '10' },
        subjectDevice: { id: '2001' },
        transferredToDevice: { id: '2002' },
        connectionList: [],
        cause: 'transfer',
      },
    },
  },
  {
    name: 'Conferenced',
    xml: ev(
      `<monitorCrossRefID>8</monitorCrossRefID><primaryOldCall><callID>20</callID><deviceID>2001</deviceID></primaryOldCall><secondaryOldCall><callID>21</callID><deviceID>2001</deviceID></secondaryOldCall><conferencingDevice><deviceIdentifier>2001</deviceIdentifier></conferencingDevice><addedParty><deviceIdentifier>2003</deviceIdentifier></addedParty><conferenceConnections><connectionListItem><newConnection><callID>20</callID><deviceID>2003</deviceID></newConnection><oldConnection><callID>21</callID><deviceID>2003</deviceID></oldConnection></connectionListItem></conferenceConnections><localConnectionInfo>connected</localConnectionInfo><cause>conference</cause>`,
    )('ConferencedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Conferenced',
        monitorCrossRefId: '8',
        primaryOldCall: { callId: '20', deviceId: '2001' },
        secondaryOldCall: { callId: '21', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        addedParty: { id: '2003' },
        connectionList: [
          {
            newConnection: { callId: '20', deviceId: '2003' },
            oldConnection: { callId: '21', deviceId: '2003' },
          },
        ],
        localConnectionInfo: 'connected',
        cause: 'conference',
      },
    },
  },
  {
    name: 'Held',
    xml: ev(
      `<monitorCrossRefID>9</monitorCrossRefID><heldConnection><callID>30</callID><deviceID>2001</deviceID></heldConnection><holdingDevice><deviceIdentifier>2001</deviceIdentifier></holdingDevice><localConnectionInfo>hold</localConnectionInfo><cause>newCall</cause>`,
    )('HeldEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Held',
        monitorCrossRefId: '9',
        connection: { callId: '30', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        localConnectionInfo: 'hold',
        cause: 'newCall',
      },
    },
  },
  {
    name: 'Retrieved',
    xml: ev(
      `<monitorCrossRefID>9</monitorCrossRefID><retrievedConnection><callID>30</callID><deviceID>2001</deviceID></retrievedConnection><retrievingDevice><deviceIdentifier>2001</deviceIdentifier></retrievingDevice><localConnectionInfo>connected</localConnectionInfo><cause>normal</cause>`,
    )('RetrievedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Retrieved',
        monitorCrossRefId: '9',
        connection: { callId: '30', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        localConnectionInfo: 'connected',
        cause: 'normal',
      },
    },
  },
  {
    name: 'Failed',
    xml: ev(
      `<monitorCrossRefID>10</monitorCrossRefID><failedConnection><callID>31</callID><deviceID>2001</deviceID></failedConnection><failingDevice><deviceIdentifier>0612345678</deviceIdentifier></failingDevice><callingDevice><deviceIdentifier>2001</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>0612345678</deviceIdentifier></calledDevice><lastRedirectionDevice><notRequired/></lastRedirectionDevice><localConnectionInfo>fail</localConnectionInfo><cause>busy</cause>`,
    )('FailedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Failed',
        monitorCrossRefId: '10',
        connection: { callId: '31', deviceId: '2001' },
        subjectDevice: { id: '0612345678' },
        callingDevice: { id: '2001' },
        calledDevice: { id: '0612345678' },
        lastRedirectionDevice: { choice: 'notRequired' },
        localConnectionInfo: 'fail',
        cause: 'busy',
      },
    },
  },
  {
    name: 'Queued (numberQueued is the only number the codec converts)',
    xml: ev(
      `<monitorCrossRefID>11</monitorCrossRefID><queuedConnection><callID>32</callID><deviceID>7000</deviceID></queuedConnection><queue><deviceIdentifier>7000</deviceIdentifier></queue><callingDevice><deviceIdentifier>0033612345678</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>0142685300</deviceIdentifier></calledDevice><lastRedirectionDevice><notKnown/></lastRedirectionDevice><numberQueued>3</numberQueued><callsInFront>2</callsInFront><localConnectionInfo>queued</localConnectionInfo><cause>enteringDistribution</cause>`,
    )('QueuedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'Queued',
        monitorCrossRefId: '11',
        connection: { callId: '32', deviceId: '7000' },
        subjectDevice: { id: '7000' },
        callingDevice: { id: '0033612345678' },
        calledDevice: { id: '0142685300' },
        lastRedirectionDevice: { choice: 'notKnown' },
        numberQueued: 3,
        localConnectionInfo: 'queued',
        cause: 'enteringDistribution',
      },
    },
  },
  {
    name: 'CallCleared',
    xml: ev(
      `<monitorCrossRefID>12</monitorCrossRefID><clearedCall><callID>0102</callID></clearedCall><localConnectionInfo>null</localConnectionInfo><cause>normalClearing</cause>`,
    )('CallClearedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'CallCleared',
        monitorCrossRefId: '12',
        connection: { callId: '0102' },
        localConnectionInfo: 'null',
        cause: 'normalClearing',
      },
    },
  },
  {
    name: 'ServiceInitiated',
    xml: ev(
      `<monitorCrossRefID>13</monitorCrossRefID><initiatedConnection><callID>40</callID><deviceID>2001</deviceID></initiatedConnection><initiatingDevice><deviceIdentifier>2001</deviceIdentifier></initiatingDevice><localConnectionInfo>initiated</localConnectionInfo><cause>newCall</cause>`,
    )('ServiceInitiatedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'ServiceInitiated',
        monitorCrossRefId: '13',
        connection: { callId: '40', deviceId: '2001' },
        subjectDevice: { id: '2001' },
        localConnectionInfo: 'initiated',
        cause: 'newCall',
      },
    },
  },
  {
    name: 'NetworkReached',
    xml: ev(
      `<monitorCrossRefID>14</monitorCrossRefID><outboundConnection><callID>40</callID><deviceID>T1</deviceID></outboundConnection><networkInterfaceUsed><deviceIdentifier>T1</deviceIdentifier></networkInterfaceUsed><callingDevice><deviceIdentifier>2001</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>0612345678</deviceIdentifier></calledDevice><lastRedirectionDevice><notRequired/></lastRedirectionDevice><localConnectionInfo>connected</localConnectionInfo><cause>networkSignal</cause>`,
    )('NetworkReachedEvent'),
    namespace: NS.ed3,
    want: {
      type: 'Event',
      event: {
        name: 'NetworkReached',
        monitorCrossRefId: '14',
        connection: { callId: '40', deviceId: 'T1' },
        subjectDevice: { id: 'T1' },
        callingDevice: { id: '2001' },
        calledDevice: { id: '0612345678' },
        lastRedirectionDevice: { choice: 'notRequired' },
        localConnectionInfo: 'connected',
        cause: 'networkSignal',
      },
    },
  },
];

const appl = (root: string, body: string) => `${DECL}<${root} xmlns="${NS.appl}">${body}</${root}>`;
const csta = (root: string, body: string, ns: string = NS.ed3) =>
  body === '' ? `${DECL}<${root} xmlns="${ns}"/>` : `${DECL}<${root} xmlns="${ns}">${body}</${root}>`;

export const SERVICE_FIXTURES: readonly Fixture[] = [
  {
    name: 'StartApplicationSession (as an application sends it)',
    xml: appl(
      'StartApplicationSession',
      `<applicationInfo><applicationID>Relais</applicationID><applicationSpecificInfo><user>relais</user></applicationSpecificInfo></applicationInfo><requestedProtocolVersions><protocolVersion>${NS.ed3}</protocolVersion><protocolVersion>${NS.ed4}</protocolVersion></requestedProtocolVersions><requestedSessionDuration>180</requestedSessionDuration>`,
    ),
    namespace: NS.appl,
    want: {
      type: 'StartApplicationSession',
      applicationId: 'Relais',
      protocolVersions: [NS.ed3, NS.ed4],
      sessionDuration: 180,
    },
  },
  {
    name: 'StartApplicationSessionPosResponse',
    xml: appl(
      'StartApplicationSessionPosResponse',
      `<sessionID>469421A9364D46D6444524AE41BEAD72</sessionID><actualProtocolVersion>${NS.ed3}</actualProtocolVersion><actualSessionDuration>180</actualSessionDuration>`,
    ),
    namespace: NS.appl,
    want: {
      type: 'StartApplicationSessionPosResponse',
      sessionId: '469421A9364D46D6444524AE41BEAD72',
      protocolVersion: NS.ed3,
      sessionDuration: 180,
    },
  },
  {
    name: 'StartApplicationSessionNegResponse',
    xml: appl(
      'StartApplicationSessionNegResponse',
      '<errorCode><definedError>requestedProtocolVersionNotSupported</definedError></errorCode>',
    ),
    namespace: NS.appl,
    want: { type: 'StartApplicationSessionNegResponse', errorCode: 'requestedProtocolVersionNotSupported' },
  },
  {
    name: 'StopApplicationSession',
    xml: appl(
      'StopApplicationSession',
      '<sessionID>469421A9364D46D6444524AE41BEAD72</sessionID><sessionEndReason><appEndReason>Application Request</appEndReason></sessionEndReason>',
    ),
    namespace: NS.appl,
    want: {
      type: 'StopApplicationSession',
      sessionId: '469421A9364D46D6444524AE41BEAD72',
      sessionEndReason: 'Application Request',
    },
  },
  {
    name: 'StopApplicationSessionPosResponse',
    xml: `${DECL}<StopApplicationSessionPosResponse xmlns="${NS.appl}"/>`,
    namespace: NS.appl,
    want: { type: 'StopApplicationSessionPosResponse' },
  },
  {
    name: 'ResetApplicationSessionTimer',
    xml: appl(
      'ResetApplicationSessionTimer',
      '<sessionID>469421A9364D46D6444524AE41BEAD72</sessionID><requestedSessionDuration>180</requestedSessionDuration>',
    ),
    namespace: NS.appl,
    want: {
      type: 'ResetApplicationSessionTimer',
      sessionId: '469421A9364D46D6444524AE41BEAD72',
      sessionDuration: 180,
    },
  },
  {
    name: 'ResetApplicationSessionTimerPosResponse',
    xml: appl(
      'ResetApplicationSessionTimerPosResponse',
      '<actualSessionDuration>120</actualSessionDuration>',
    ),
    namespace: NS.appl,
    want: { type: 'ResetApplicationSessionTimerPosResponse', sessionDuration: 120 },
  },
  {
    name: 'ResetApplicationSessionTimerNegResponse',
    xml: appl(
      'ResetApplicationSessionTimerNegResponse',
      '<errorCode><definedError>invalidSessionID</definedError></errorCode>',
    ),
    namespace: NS.appl,
    want: { type: 'ResetApplicationSessionTimerNegResponse', errorCode: 'invalidSessionID' },
  },
  {
    name: 'MonitorStart (ed2, typeOfNumber attribute, monitorType)',
    xml: csta(
      'MonitorStart',
      '<monitorObject><deviceObject typeOfNumber="dialingNumber">35001</deviceObject></monitorObject><requestedMonitorFilter><callControl><delivered>true</delivered></callControl></requestedMonitorFilter><monitorType>device</monitorType>',
      NS.ed2,
    ),
    namespace: NS.ed2,
    want: { type: 'MonitorStart', device: '35001', monitorType: 'device' },
  },
  {
    name: 'MonitorStartResponse (filters and private data ignored)',
    xml: csta(
      'MonitorStartResponse',
      '<monitorCrossRefID>0001</monitorCrossRefID><actualMonitorFilter><callControl/></actualMonitorFilter><extensions><privateData><private><vendor>x</vendor></private></privateData></extensions>',
    ),
    namespace: NS.ed3,
    want: { type: 'MonitorStartResponse', monitorCrossRefId: '0001' },
  },
  {
    name: 'MonitorStop',
    xml: csta('MonitorStop', '<monitorCrossRefID>0001</monitorCrossRefID>'),
    namespace: NS.ed3,
    want: { type: 'MonitorStop', monitorCrossRefId: '0001' },
  },
  {
    name: 'MonitorStopResponse',
    xml: csta('MonitorStopResponse', ''),
    namespace: NS.ed3,
    want: { type: 'MonitorStopResponse' },
  },
  {
    name: 'SystemStatus',
    xml: csta('SystemStatus', '<systemStatus>normal</systemStatus>'),
    namespace: NS.ed3,
    want: { type: 'SystemStatus', status: 'normal' },
  },
  {
    name: 'SystemStatusResponse',
    xml: csta('SystemStatusResponse', ''),
    namespace: NS.ed3,
    want: { type: 'SystemStatusResponse' },
  },
  {
    name: 'RouteRegister',
    xml: csta('RouteRegister', '<routeingDevice>7100</routeingDevice>'),
    namespace: NS.ed3,
    want: { type: 'RouteRegister', routingDevice: '7100' },
  },
  {
    name: 'RouteRegister for all routing devices (no routingDevice)',
    xml: csta('RouteRegister', ''),
    namespace: NS.ed3,
    want: { type: 'RouteRegister' },
  },
  {
    name: 'RouteRegisterResponse',
    xml: csta('RouteRegisterResponse', '<routeRegisterReqID>01</routeRegisterReqID>'),
    namespace: NS.ed3,
    want: { type: 'RouteRegisterResponse', routeRegisterReqId: '01' },
  },
  {
    name: 'RouteRegisterCancel',
    xml: csta('RouteRegisterCancel', '<routeRegisterReqID>01</routeRegisterReqID>'),
    namespace: NS.ed3,
    want: { type: 'RouteRegisterCancel', routeRegisterReqId: '01' },
  },
  {
    name: 'RouteRegisterCancelResponse',
    xml: csta('RouteRegisterCancelResponse', ''),
    namespace: NS.ed3,
    want: { type: 'RouteRegisterCancelResponse' },
  },
  {
    name: 'RouteRegisterAbort',
    xml: csta('RouteRegisterAbort', '<routeRegisterReqID>01</routeRegisterReqID>'),
    namespace: NS.ed3,
    want: { type: 'RouteRegisterAbort', routeRegisterReqId: '01' },
  },
  {
    name: 'RouteRequest (Unify style)',
    xml: csta(
      'RouteRequest',
      '<crossRefIdentifier>0A2F</crossRefIdentifier><routeRegisterReqID>01</routeRegisterReqID><currentRoute><deviceIdentifier>N&lt;+4930123457100&gt;</deviceIdentifier></currentRoute><callingDevice><deviceIdentifier>N&lt;+491712345678&gt;;displayNumber=Erika</deviceIdentifier></callingDevice><routingDevice><deviceIdentifier>7100</deviceIdentifier></routingDevice><routedCall><callID>51</callID><deviceID>7100</deviceID></routedCall><routeSelAlgorithm>routeDistribution</routeSelAlgorithm><priority>false</priority><replyTimeout>5000</replyTimeout><correlatorData>0A1B2C</correlatorData>',
      NS.ed4,
    ),
    namespace: NS.ed4,
    want: {
      type: 'RouteRequest',
      crossRefId: '0A2F',
      routeRegisterReqId: '01',
      currentRoute: { id: 'N<+4930123457100>' },
      callingDevice: { id: 'N<+491712345678>;displayNumber=Erika' },
      routedCall: { callId: '51', deviceId: '7100' },
      routeSelAlgorithm: 'routeDistribution',
      priority: false,
      correlatorData: '0A1B2C',
    },
  },
  {
    name: 'ReRoute',
    xml: csta(
      'ReRoute',
      '<crossRefIdentifier>0A2F</crossRefIdentifier><routeRegisterReqID>01</routeRegisterReqID>',
    ),
    namespace: NS.ed3,
    want: { type: 'ReRoute', crossRefId: '0A2F', routeRegisterReqId: '01' },
  },
  {
    name: 'RouteSelect',
    xml: csta(
      'RouteSelect',
      '<crossRefIdentifier>0A2F</crossRefIdentifier><routeRegisterReqID>01</routeRegisterReqID><routeSelected>2002</routeSelected><remainRetry>1</remainRetry><routeUsedReq>true</routeUsedReq><correlatorData>0A1B2C</correlatorData>',
    ),
    namespace: NS.ed3,
    want: {
      type: 'RouteSelect',
      crossRefId: '0A2F',
      routeRegisterReqId: '01',
      routeSelected: '2002',
      routeUsedReq: true,
      correlatorData: '0A1B2C',
    },
  },
  {
    name: 'RouteUsed',
    xml: csta(
      'RouteUsed',
      '<crossRefIdentifier>0A2F</crossRefIdentifier><routeRegisterReqID>01</routeRegisterReqID><routeUsed><deviceIdentifier>2002</deviceIdentifier></routeUsed><callingDevice><deviceIdentifier>0612345678</deviceIdentifier></callingDevice>',
    ),
    namespace: NS.ed3,
    want: {
      type: 'RouteUsed',
      crossRefId: '0A2F',
      routeRegisterReqId: '01',
      routeUsed: { id: '2002' },
      callingDevice: { id: '0612345678' },
    },
  },
  {
    name: 'RouteEnd',
    xml: csta(
      'RouteEnd',
      '<crossRefIdentifier>0A2F</crossRefIdentifier><routeRegisterReqID>01</routeRegisterReqID><errorValue><stateIncompatibility>invalidObjectState</stateIncompatibility></errorValue>',
    ),
    namespace: NS.ed3,
    want: {
      type: 'RouteEnd',
      crossRefId: '0A2F',
      routeRegisterReqId: '01',
      errorValue: 'invalidObjectState',
      errorCategory: 'stateIncompatibility',
    },
  },
  {
    name: 'CSTAErrorCode',
    xml: csta('CSTAErrorCode', '<operation>invalidDeviceID</operation>'),
    namespace: NS.ed3,
    want: { type: 'CSTAErrorCode', category: 'operation', value: 'invalidDeviceID' },
  },
  {
    name: 'a well-formed document with a root Relais does not handle',
    xml: csta(
      'SnapshotDeviceResponse',
      '<crossRefIDorSnapshotData><snapshotData/></crossRefIDorSnapshotData>',
    ),
    namespace: NS.ed3,
    want: { type: 'Unknown', name: 'SnapshotDeviceResponse' },
  },
];

export const ALL_FIXTURES: readonly Fixture[] = [...EVENT_FIXTURES, ...SERVICE_FIXTURES];
