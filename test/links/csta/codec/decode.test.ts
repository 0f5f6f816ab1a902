import { describe, expect, it } from 'vitest';
import { type DecodeResult, decodeCsta } from '../../../../src/links/csta/codec/index.js';
import type { CstaEvent, CstaMessage, CstaMessageType } from '../../../../src/links/csta/messages.js';
import { ALL_FIXTURES, EVENT_FIXTURES, NS } from './fixtures.js';

/** Every message type, checked by the compiler against CstaMessageType. */
const ALL_TYPES: Record<CstaMessageType, true> = {
  StartApplicationSession: true,
  StartApplicationSessionPosResponse: true,
  StartApplicationSessionNegResponse: true,
  StopApplicationSession: true,
  StopApplicationSessionPosResponse: true,
  ResetApplicationSessionTimer: true,
  ResetApplicationSessionTimerPosResponse: true,
  ResetApplicationSessionTimerNegResponse: true,
  MonitorStart: true,
  MonitorStartResponse: true,
  MonitorStop: true,
  MonitorStopResponse: true,
  SystemStatus: true,
  SystemStatusResponse: true,
  RouteRegister: true,
  RouteRegisterResponse: true,
  RouteRegisterCancel: true,
  RouteRegisterCancelResponse: true,
  RouteRegisterAbort: true,
  RouteRequest: true,
  ReRoute: true,
  RouteSelect: true,
  RouteUsed: true,
  RouteEnd: true,
  CSTAErrorCode: true,
  Event: true,
  Unknown: true,
};

function decoded(result: DecodeResult): { message: CstaMessage; namespace: string | undefined } {
  if (!result.ok) throw new Error(`decode failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

function eventOf(result: DecodeResult): CstaEvent {
  const { message } = decoded(result);
  if (message.type !== 'Event') throw new Error(`not an event: ${message.type}`);
  return message.event;
}

describe('decodeCsta: realistic documents', () => {
  it.each(ALL_FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const fromString = decoded(decodeCsta(fixture.xml));
    expect(fromString.message).toStrictEqual(fixture.want);
    expect(fromString.namespace).toBe(fixture.namespace);
    // The socket hands the codec bytes.
    expect(decodeCsta(Buffer.from(fixture.xml, 'utf8'))).toStrictEqual(decodeCsta(fixture.xml));
  });

  it('covers every event name and every service message type', () => {
    const events = new Set(EVENT_FIXTURES.map((f) => (f.want.type === 'Event' ? f.want.event.name : '')));
    expect([...events].sort()).toEqual(
      [
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
      ].sort(),
    );
    const types = new Set(ALL_FIXTURES.map((f) => f.want.type));
    expect([...types].sort()).toEqual(Object.keys(ALL_TYPES).sort());
  });
});

describe('decodeCsta: namespaces', () => {
  const body =
    '<monitorCrossRefID>1</monitorCrossRefID><connection><callID>9</callID><deviceID>2001</deviceID></connection><alertingDevice><deviceIdentifier>2001</deviceIdentifier></alertingDevice><callingDevice><deviceIdentifier>0612345678</deviceIdentifier></callingDevice><cause>newCall</cause>';
  const want = decoded(decodeCsta(`<DeliveredEvent>${body}</DeliveredEvent>`)).message;

  it.each([
    ['ed2', NS.ed2],
    ['ed3', NS.ed3],
    ['ed4', NS.ed4],
    ['ed5', NS.ed5],
    ['ed6', NS.ed6],
    ['ECMA-354', NS.appl],
    ['a vendor namespace', 'urn:example:csta'],
  ])('decodes the same message in the %s namespace and reports it', (_edition, ns) => {
    const plain = decoded(decodeCsta(`<DeliveredEvent xmlns="${ns}">${body}</DeliveredEvent>`));
    expect(plain.message).toStrictEqual(want);
    expect(plain.namespace).toBe(ns);
    const prefixed = body.replace(/<(\/?)([A-Za-z])/g, '<$1x:$2');
    const withPrefix = decoded(
      decodeCsta(`<x:DeliveredEvent xmlns:x="${ns}">${prefixed}</x:DeliveredEvent>`),
    );
    expect(withPrefix.message).toStrictEqual(want);
    expect(withPrefix.namespace).toBe(ns);
  });

  it('reports no namespace for a namespace-less document', () => {
    expect(decoded(decodeCsta(`<DeliveredEvent>${body}</DeliveredEvent>`)).namespace).toBeUndefined();
  });

  it('matches children by local name whatever their own prefix or namespace', () => {
    const mixed = `<DeliveredEvent xmlns="${NS.ed3}" xmlns:c="${NS.ed3}" xmlns:v="urn:vendor"><c:monitorCrossRefID>1</c:monitorCrossRefID><v:connection><callID>9</callID><deviceID>2001</deviceID></v:connection><alertingDevice><c:deviceIdentifier>2001</c:deviceIdentifier></alertingDevice><callingDevice><deviceIdentifier>0612345678</deviceIdentifier></callingDevice><cause>newCall</cause></DeliveredEvent>`;
    expect(decoded(decodeCsta(mixed)).message).toStrictEqual(want);
  });
});

describe('decodeCsta: numbers stay strings, exactly as sent', () => {
  it.each([
    '0612345678',
    '00612345678',
    '0033612345678',
    '007',
    '+33612345678',
    '+4930123456',
    '0',
    '000000',
    '1e3',
    '0x10',
    '9007199254740993',
    ' 0612345678 ',
  ])('%j', (id) => {
    const xml = `<DeliveredEvent><monitorCrossRefID>${id}</monitorCrossRefID><connection><callID>${id}</callID><deviceID>${id}</deviceID></connection><callingDevice><deviceIdentifier>${id}</deviceIdentifier></callingDevice></DeliveredEvent>`;
    const ev = eventOf(decodeCsta(xml));
    const want = id.trim();
    expect(ev.monitorCrossRefId).toBe(want);
    expect(ev.connection).toStrictEqual({ callId: want, deviceId: want });
    expect(ev.callingDevice).toStrictEqual({ id: want });
  });

  it('keeps deviceIdentifier text exactly, trimming only XML white space around it', () => {
    const ev = eventOf(
      decodeCsta(
        '<HeldEvent><monitorCrossRefID>1</monitorCrossRefID><holdingDevice><deviceIdentifier>\n\t N&lt;+4930 123&gt;;displayNumber=A&amp;B\u00a0 \r\n</deviceIdentifier></holdingDevice></HeldEvent>',
      ),
    );
    expect(ev.subjectDevice).toStrictEqual({ id: 'N<+4930 123>;displayNumber=A&B\u00a0' });
  });

  it('reads the number of calls queued as a number, and ignores one that is not an integer', () => {
    const queued = (n: string) =>
      eventOf(
        decodeCsta(
          `<QueuedEvent><monitorCrossRefID>1</monitorCrossRefID><numberQueued>${n}</numberQueued></QueuedEvent>`,
        ),
      ).numberQueued;
    expect(queued('007')).toBe(7);
    expect(queued(' 12 ')).toBe(12);
    expect(queued('-1')).toBeUndefined();
    expect(queued('3.5')).toBeUndefined();
    expect(queued('many')).toBeUndefined();
    expect(queued('99999999999999999999')).toBeUndefined();
  });

  it('reads XML Schema booleans', () => {
    const priority = (v: string) => {
      const { message } = decoded(
        decodeCsta(
          `<RouteRequest><crossRefIdentifier>1</crossRefIdentifier><priority>${v}</priority></RouteRequest>`,
        ),
      );
      return message.type === 'RouteRequest' ? message.priority : 'wrong type';
    };
    expect([priority('true'), priority('1'), priority('false'), priority('0'), priority('yes')]).toEqual([
      true,
      true,
      false,
      false,
      undefined,
    ]);
  });
});

describe('decodeCsta: device forms', () => {
  const calling = (inner: string, attrs = '') =>
    eventOf(
      decodeCsta(
        `<DeliveredEvent><monitorCrossRefID>1</monitorCrossRefID><callingDevice${attrs}>${inner}</callingDevice></DeliveredEvent>`,
      ),
    ).callingDevice;

  it.each([
    ['<deviceIdentifier>2001</deviceIdentifier>', { id: '2001' }],
    [
      '<deviceIdentifier typeOfNumber="explicitPublic:international">+4930123456</deviceIdentifier>',
      { id: '+4930123456', typeOfNumber: 'explicitPublic:international' },
    ],
    ['2001', { id: '2001' }],
    ['<notKnown/>', { choice: 'notKnown' }],
    ['<restricted/>', { choice: 'restricted' }],
    ['<notRequired/>', { choice: 'notRequired' }],
    ['<notSpecified/>', { choice: 'notSpecified' }],
    ['<restricted></restricted>', { choice: 'restricted' }],
    ['<numberDialed>0612345678</numberDialed>', { id: '0612345678' }],
    [
      '<deviceIdentifier><explicitPublic><international>4930123456</international></explicitPublic></deviceIdentifier>',
      { id: '4930123456' },
    ],
    ['<deviceIdentifier></deviceIdentifier>', { id: '' }],
    ['', undefined],
    ['  ', undefined],
  ] as const)('%s', (inner, want) => {
    expect(calling(inner)).toStrictEqual(want);
  });

  it('keeps typeOfNumber written on the device element itself', () => {
    expect(calling('0612345678', ' typeOfNumber="dialingNumber"')).toStrictEqual({
      id: '0612345678',
      typeOfNumber: 'dialingNumber',
    });
  });

  it('prefers the deviceIdentifier to a private element before it', () => {
    expect(calling('<extensions/><deviceIdentifier>2001</deviceIdentifier>')).toStrictEqual({ id: '2001' });
  });
});

describe('decodeCsta: leniency', () => {
  it('ignores unknown elements, vendor extensions, comments, processing instructions and CDATA wrappers', () => {
    const xml = `<?xml version="1.0"?><!-- trace --><EstablishedEvent xmlns="${NS.ed3}"><?vendor x?><monitorCrossRefID><![CDATA[5]]></monitorCrossRefID><vendorThing a="1"><nested/></vendorThing><establishedConnection><callID>1</callID><deviceID>2001</deviceID><extra>x</extra></establishedConnection><answeringDevice><deviceIdentifier>2001</deviceIdentifier></answeringDevice><extensions><privateData><private><answeringDevice>nope</answeringDevice></private></privateData></extensions></EstablishedEvent>`;
    expect(eventOf(decodeCsta(xml))).toStrictEqual({
      name: 'Established',
      monitorCrossRefId: '5',
      connection: { callId: '1', deviceId: '2001' },
      subjectDevice: { id: '2001' },
    });
  });

  it('accepts a generic <connection> where the event names its own, preferring the standard name', () => {
    const held = (inner: string) =>
      eventOf(decodeCsta(`<HeldEvent><monitorCrossRefID>1</monitorCrossRefID>${inner}</HeldEvent>`))
        .connection;
    expect(held('<connection><callID>1</callID></connection>')).toStrictEqual({ callId: '1' });
    expect(
      held('<connection><callID>1</callID></connection><heldConnection><callID>2</callID></heldConnection>'),
    ).toStrictEqual({ callId: '2' });
  });

  it('takes the first of repeated elements', () => {
    const ev = eventOf(
      decodeCsta(
        '<HeldEvent><monitorCrossRefID>1</monitorCrossRefID><monitorCrossRefID>2</monitorCrossRefID><cause>a</cause><cause>b</cause></HeldEvent>',
      ),
    );
    expect([ev.monitorCrossRefId, ev.cause]).toEqual(['1', 'a']);
  });

  it('reads wrapped values (deviceID with staticID, correlatorData with a string child)', () => {
    const { message } = decoded(
      decodeCsta(
        '<RouteRequest><crossRefIdentifier>1</crossRefIdentifier><routedCall><callID>7</callID><deviceID><staticID>2001</staticID></deviceID></routedCall><correlatorData><string>abc</string></correlatorData></RouteRequest>',
      ),
    );
    expect(message).toStrictEqual({
      type: 'RouteRequest',
      crossRefId: '1',
      routedCall: { callId: '7', deviceId: '2001' },
      correlatorData: 'abc',
    });
  });

  it('decodes ISO-8859-1 and windows-1252 documents when their declaration says so', () => {
    const head = (enc: string) =>
      Buffer.from(
        `<?xml version="1.0" encoding="${enc}"?><HeldEvent><monitorCrossRefID>1</monitorCrossRefID><holdingDevice><deviceIdentifier>2001;displayName=`,
        'latin1',
      );
    const tail = Buffer.from('</deviceIdentifier></holdingDevice></HeldEvent>', 'latin1');
    const latin1 = Buffer.concat([
      head('ISO-8859-1'),
      Buffer.from([0x48, 0xe9, 0x6c, 0xe8, 0x6e, 0x65]),
      tail,
    ]);
    expect(eventOf(decodeCsta(latin1)).subjectDevice).toStrictEqual({ id: '2001;displayName=Hélène' });
    const cp1252 = Buffer.concat([head('windows-1252'), Buffer.from([0x80, 0x20, 0x35]), tail]);
    expect(eventOf(decodeCsta(cp1252)).subjectDevice).toStrictEqual({ id: '2001;displayName=€ 5' });
  });

  it('decodes UTF-8 with a byte-order mark, and UTF-16 in both byte orders', () => {
    const xml = '<HeldEvent><monitorCrossRefID>1</monitorCrossRefID><cause>Zoë</cause></HeldEvent>';
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const doc of [bom, le, be]) expect(eventOf(decodeCsta(doc)).cause).toBe('Zoë');
  });

  it('accepts a plain Uint8Array from a JavaScript caller', () => {
    const bytes = new Uint8Array(Buffer.from(ALL_FIXTURES[0]?.xml ?? ''));
    expect(decodeCsta(bytes as Buffer)).toStrictEqual(decodeCsta(ALL_FIXTURES[0]?.xml ?? ''));
  });
});

describe('decodeCsta: missing mandatory fields', () => {
  it.each([
    ['<DeliveredEvent><connection><callID>1</callID></connection></DeliveredEvent>', 'monitorCrossRefID'],
    ['<CallClearedEvent/>', 'monitorCrossRefID'],
    ['<RouteRequest><routeRegisterReqID>1</routeRegisterReqID></RouteRequest>', 'crossRefIdentifier'],
    ['<RouteSelect><crossRefIdentifier>1</crossRefIdentifier></RouteSelect>', 'routeSelected'],
    [
      '<MonitorStart><monitorObject><callObject><callID>1</callID></callObject></monitorObject></MonitorStart>',
      'monitorObject/deviceObject',
    ],
    ['<MonitorStartResponse/>', 'monitorCrossRefID'],
    ['<SystemStatus/>', 'systemStatus'],
    [
      '<StartApplicationSession><requestedProtocolVersions/></StartApplicationSession>',
      'applicationInfo/applicationID',
    ],
    ['<StartApplicationSessionPosResponse/>', 'sessionID'],
    ['<StartApplicationSessionNegResponse/>', 'errorCode'],
    ['<RouteRegisterResponse/>', 'routeRegisterReqID'],
    ['<CSTAErrorCode/>', 'category'],
    ['<CSTAErrorCode>invalidDeviceID</CSTAErrorCode>', 'category'],
  ])('%s lacks %s', (xml, field) => {
    const result = decodeCsta(xml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('missing-field');
    expect(result.error.message).toContain(field);
  });

  it('does not require what the standard leaves optional', () => {
    expect(
      decoded(
        decodeCsta(
          '<StartApplicationSession><applicationInfo><applicationID>x</applicationID></applicationInfo></StartApplicationSession>',
        ),
      ).message,
    ).toStrictEqual({
      type: 'StartApplicationSession',
      applicationId: 'x',
      protocolVersions: [],
    });
    expect(
      decoded(decodeCsta('<RouteEnd><crossRefIdentifier>1</crossRefIdentifier></RouteEnd>')).message,
    ).toStrictEqual({
      type: 'RouteEnd',
      crossRefId: '1',
    });
    expect(
      decoded(
        decodeCsta(
          '<MonitorStart><monitorObject><deviceObject>2001</deviceObject></monitorObject><monitorType>trunk</monitorType></MonitorStart>',
        ),
      ).message,
    ).toStrictEqual({
      type: 'MonitorStart',
      device: '2001',
    });
  });
});
