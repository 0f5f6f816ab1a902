import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPL_SESSION_NAMESPACE,
  CSTA_NAMESPACES,
  DEFAULT_CSTA_NAMESPACE,
  decodeCsta,
  encodeCsta,
} from '../../../../src/links/csta/codec/index.js';
import type { CstaMessage } from '../../../../src/links/csta/messages.js';
import { cstaMessage, LONG_MODE } from './arbitraries.js';
import { ALL_FIXTURES, NS } from './fixtures.js';

const ed3 = { namespace: CSTA_NAMESPACES.ed3 };

function roundTrip(msg: CstaMessage, namespace: string = CSTA_NAMESPACES.ed3): CstaMessage {
  const result = decodeCsta(encodeCsta(msg, { namespace }));
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.message;
}

describe('namespaces', () => {
  it('exports every edition, edition 3 by default, and ECMA-354', () => {
    expect(CSTA_NAMESPACES).toEqual({ ed2: NS.ed2, ed3: NS.ed3, ed4: NS.ed4, ed5: NS.ed5, ed6: NS.ed6 });
    expect(DEFAULT_CSTA_NAMESPACE).toBe(NS.ed3);
    expect(APPL_SESSION_NAMESPACE).toBe(NS.appl);
  });
});

describe('encodeCsta', () => {
  it('writes a complete document in the link’s namespace', () => {
    expect(
      encodeCsta({ type: 'MonitorStart', device: '2001', monitorType: 'device' }, { namespace: NS.ed4 }),
    ).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><MonitorStart xmlns="${NS.ed4}"><monitorObject><deviceObject>2001</deviceObject></monitorObject><monitorType>device</monitorType></MonitorStart>`,
    );
    expect(encodeCsta({ type: 'MonitorStopResponse' }, ed3)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><MonitorStopResponse xmlns="${NS.ed3}"/>`,
    );
  });

  it('writes ECMA-354 messages in the ECMA-354 namespace whatever the link’s edition', () => {
    const xml = encodeCsta(
      {
        type: 'StartApplicationSession',
        applicationId: 'Relais',
        protocolVersions: [NS.ed3],
        sessionDuration: 180,
      },
      { namespace: NS.ed2 },
    );
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><StartApplicationSession xmlns="${NS.appl}"><applicationInfo><applicationID>Relais</applicationID></applicationInfo><requestedProtocolVersions><protocolVersion>${NS.ed3}</protocolVersion></requestedProtocolVersions><requestedSessionDuration>180</requestedSessionDuration></StartApplicationSession>`,
    );
    const decoded = decodeCsta(xml);
    expect(decoded.ok && decoded.namespace).toBe(NS.appl);
  });

  it('writes RouteSelect as switches expect it', () => {
    expect(
      encodeCsta(
        {
          type: 'RouteSelect',
          crossRefId: '0A2F',
          routeRegisterReqId: '01',
          routeSelected: '2002',
          routeUsedReq: false,
        },
        ed3,
      ),
    ).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><RouteSelect xmlns="${NS.ed3}"><crossRefIdentifier>0A2F</crossRefIdentifier><routeRegisterReqID>01</routeRegisterReqID><routeSelected>2002</routeSelected><routeUsedReq>false</routeUsedReq></RouteSelect>`,
    );
  });

  it('writes devices as deviceIdentifier or choice elements, connections as callID/deviceID', () => {
    const xml = encodeCsta(
      {
        type: 'Event',
        event: {
          name: 'Delivered',
          monitorCrossRefId: '1',
          connection: { callId: '7', deviceId: '2001' },
          subjectDevice: { id: '2001' },
          callingDevice: { choice: 'restricted' },
          calledDevice: { id: '0612345678', typeOfNumber: 'dialingNumber' },
        },
      },
      ed3,
    );
    expect(xml).toContain(
      '<monitorCrossRefID>1</monitorCrossRefID><connection><callID>7</callID><deviceID>2001</deviceID></connection><alertingDevice><deviceIdentifier>2001</deviceIdentifier></alertingDevice>',
    );
    expect(xml).toContain('<callingDevice><restricted/></callingDevice>');
    expect(xml).toContain(
      '<calledDevice><deviceIdentifier typeOfNumber="dialingNumber">0612345678</deviceIdentifier></calledDevice>',
    );
  });

  it('escapes markup characters and keeps CR, TAB and LF through a round trip', () => {
    const text = `a&b<c>d"e'f]]>g\rh\ti\nj`;
    const xml = encodeCsta({ type: 'SystemStatus', status: text }, ed3);
    expect(xml).toContain('<systemStatus>a&amp;b&lt;c&gt;d&quot;e&apos;f]]&gt;g&#13;h\ti\nj</systemStatus>');
    expect(roundTrip({ type: 'SystemStatus', status: text })).toEqual({ type: 'SystemStatus', status: text });
    const device = { id: '1', typeOfNumber: ' a\tb\nc\r"<&> ' };
    const msg: CstaMessage = { type: 'RouteUsed', crossRefId: '1', routeUsed: device };
    expect(encodeCsta(msg, ed3)).toContain('typeOfNumber=" a&#9;b&#10;c&#13;&quot;&lt;&amp;&gt; "');
    expect(roundTrip(msg)).toEqual(msg);
  });

  it('drops characters XML 1.0 cannot carry, keeping astral characters', () => {
    const xml = encodeCsta({ type: 'SystemStatus', status: 'a\u0000b\u0008c\uFFFEd\uD800e😀f\uDC00' }, ed3);
    expect(roundTrip({ type: 'SystemStatus', status: 'x' })).toEqual({ type: 'SystemStatus', status: 'x' });
    const decoded = decodeCsta(xml);
    expect(decoded.ok && decoded.message).toEqual({ type: 'SystemStatus', status: 'abcde😀f' });
  });

  it('sends the mandatory ECMA-354 sessionEndReason as `normal` when none is given', () => {
    expect(encodeCsta({ type: 'StopApplicationSession', sessionId: 'S1' }, ed3)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><StopApplicationSession xmlns="${NS.appl}"><sessionID>S1</sessionID><sessionEndReason><definedEndReason>normal</definedEndReason></sessionEndReason></StopApplicationSession>`,
    );
  });

  it('wraps a RouteEnd errorValue in its category, `operation` unless told', () => {
    expect(encodeCsta({ type: 'RouteEnd', crossRefId: '1', errorValue: 'generic' }, ed3)).toContain(
      '<errorValue><operation>generic</operation></errorValue>',
    );
    expect(
      encodeCsta(
        { type: 'RouteEnd', crossRefId: '1', errorValue: 'x', errorCategory: 'stateIncompatibility' },
        ed3,
      ),
    ).toContain('<errorValue><stateIncompatibility>x</stateIncompatibility></errorValue>');
    expect(
      encodeCsta({ type: 'RouteEnd', crossRefId: '1', errorValue: 'x', errorCategory: 'bad name' }, ed3),
    ).toContain('<errorValue><operation>x</operation></errorValue>');
  });

  it('writes CSTAErrorCode as its category element', () => {
    expect(encodeCsta({ type: 'CSTAErrorCode', category: 'operation', value: 'invalidDeviceID' }, ed3)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><CSTAErrorCode xmlns="${NS.ed3}"><operation>invalidDeviceID</operation></CSTAErrorCode>`,
    );
  });

  it('writes an Unknown message as an empty element of its name, if that is a plain XML name', () => {
    expect(encodeCsta({ type: 'Unknown', name: 'SnapshotDevice' }, ed3)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><SnapshotDevice xmlns="${NS.ed3}"/>`,
    );
    expect(encodeCsta({ type: 'Unknown', name: '<evil/>' }, ed3)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Unknown xmlns="${NS.ed3}"/>`,
    );
  });

  it('leaves out parameters an event does not have (CallCleared has no subject device)', () => {
    const xml = encodeCsta(
      {
        type: 'Event',
        event: { name: 'CallCleared', monitorCrossRefId: '1', subjectDevice: { id: '2001' } },
      },
      ed3,
    );
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><CallClearedEvent xmlns="${NS.ed3}"><monitorCrossRefID>1</monitorCrossRefID></CallClearedEvent>`,
    );
  });

  it('escapes the namespace it is given', () => {
    expect(encodeCsta({ type: 'MonitorStopResponse' }, { namespace: 'urn:a&"b' })).toContain(
      'xmlns="urn:a&amp;&quot;b"',
    );
  });

  it.each(ALL_FIXTURES.map((f) => [f.name, f] as const))(
    're-encodes %s to the same message',
    (_name, fixture) => {
      expect(roundTrip(fixture.want, fixture.namespace ?? NS.ed3)).toStrictEqual(fixture.want);
    },
  );
});

describe('round trip (property)', () => {
  it('decode(encode(m)) equals m for every generated message, in every edition', () => {
    fc.assert(
      fc.property(cstaMessage, fc.constantFrom(...Object.values(CSTA_NAMESPACES)), (msg, namespace) => {
        const xml = encodeCsta(msg, { namespace });
        const result = decodeCsta(xml);
        expect(result).toStrictEqual({
          ok: true,
          message: msg,
          namespace: xml.includes(`xmlns="${APPL_SESSION_NAMESPACE}"`) ? APPL_SESSION_NAMESPACE : namespace,
        });
        // Bytes as the socket carries them decode the same.
        expect(decodeCsta(Buffer.from(xml, 'utf8'))).toStrictEqual(result);
      }),
      { numRuns: LONG_MODE ? 100_000 : 2_000 },
    );
  }, 600_000);
});
