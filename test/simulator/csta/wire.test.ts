import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameSplitter } from '../../../src/simulator/csta/frames.js';
import { DeviceNaming } from '../../../src/simulator/csta/identifiers.js';
import { parseClientMessage } from '../../../src/simulator/csta/requests.js';
import { renderEvent } from '../../../src/simulator/csta/xml-events.js';
import { readXml, XmlReadError } from '../../../src/simulator/csta/xml-reader.js';
import { el, leaf, xmlDocument } from '../../../src/simulator/csta/xml-writer.js';

describe('frames', () => {
  it('writes the 8-byte header: two zero bytes, total length, invoke id', () => {
    const frame = encodeFrame('header', Buffer.from('<a/>'), '0042');
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, 0, 12]);
    expect(frame.toString('ascii', 4)).toBe('0042<a/>');
  });

  it('cuts frames whatever the chunk boundaries', () => {
    const stream = Buffer.concat([
      encodeFrame('header', Buffer.from('<one/>'), '0001'),
      encodeFrame('header', Buffer.from('<two>é</two>'), '9999'),
    ]);
    for (let size = 1; size <= stream.length; size++) {
      const splitter = new FrameSplitter('header', 1000);
      const frames = [];
      for (let i = 0; i < stream.length; i += size)
        frames.push(...splitter.push(stream.subarray(i, i + size)));
      expect(
        frames.map((f) => (f.kind === 'frame' ? `${f.invokeId}:${f.payload.toString()}` : f.code)),
      ).toEqual(['0001:<one/>', '9999:<two>é</two>']);
      expect(splitter.buffered).toBe(0);
    }
  });

  it('reports bad headers, short lengths and oversized frames as fatal', () => {
    expect(new FrameSplitter('header', 100).push(Buffer.from('<?xml ve'))[0]).toMatchObject({
      code: 'bad-header',
      fatal: true,
    });
    expect(new FrameSplitter('header', 100).push(Buffer.from([0, 0, 0, 4, 48, 48, 48, 49]))[0]).toMatchObject(
      {
        code: 'bad-length',
      },
    );
    const big = encodeFrame('header', Buffer.alloc(200, 32), '0001');
    expect(new FrameSplitter('header', 100).push(big)[0]).toMatchObject({ code: 'too-long' });
  });

  it('splits NUL-terminated documents and skips empty ones', () => {
    const splitter = new FrameSplitter('nul', 1000);
    const out = splitter.push(Buffer.from('<a/>\0\r\n\0<b'));
    expect(out).toEqual([{ kind: 'frame', invokeId: undefined, payload: Buffer.from('<a/>') }]);
    expect(splitter.push(Buffer.from('/>\0'))).toEqual([
      { kind: 'frame', invokeId: undefined, payload: Buffer.from('<b/>') },
    ]);
  });
});

describe('xml', () => {
  it('escapes text so that vendor identifiers survive', () => {
    const xml = xmlDocument(
      'X',
      'urn:x',
      el('callingDevice', leaf('deviceIdentifier', 'N<+33612345678>;displayNumber=A&B')),
    );
    expect(xml).toContain('<deviceIdentifier>N&lt;+33612345678&gt;;displayNumber=A&amp;B</deviceIdentifier>');
    expect(readXml(xml).children[0]?.children[0]?.text).toBe('N<+33612345678>;displayNumber=A&B');
  });

  it('matches local names whatever the namespace or prefix', () => {
    const prefixed = readXml(
      '<csta:MonitorStart xmlns:csta="http://www.ecma.ch/standards/ecma-323/csta/ed2"><csta:monitorObject><csta:deviceObject typeOfNumber="dialingNumber">2001</csta:deviceObject></csta:monitorObject></csta:MonitorStart>',
    );
    expect(parseClientMessage(prefixed)).toEqual({ type: 'MonitorStart', device: '2001', callObject: false });
    const bare = readXml(
      '<RouteSelect><crossRefIdentifier>7</crossRefIdentifier><routeSelected><deviceIdentifier>2002</deviceIdentifier></routeSelected><routeUsedReq>true</routeUsedReq></RouteSelect>',
    );
    expect(parseClientMessage(bare)).toMatchObject({
      type: 'RouteSelect',
      crossRefId: '7',
      routeSelected: '2002',
      routeUsedReq: true,
    });
  });

  it('refuses documents that are not well-formed or use undeclared prefixes', () => {
    expect(() => readXml('<a><b></a>')).toThrow(XmlReadError);
    expect(() => readXml('<csta:MonitorStart/>')).toThrow(XmlReadError);
  });
});

describe('event documents (ECMA-323)', () => {
  it('writes a DeliveredEvent with the schema order of its elements', () => {
    const id = (v: string) => ({ kind: 'id' as const, id: v });
    const xml = renderEvent(
      'http://www.ecma-international.org/standards/ecma-323/csta/ed3',
      '7',
      {
        name: 'Delivered',
        connection: { callId: '12', deviceId: '2001' },
        alertingDevice: id('2001'),
        callingDevice: { kind: 'restricted' },
        calledDevice: id('0140000000'),
        lastRedirectionDevice: id('3001'),
        networkCallingDevice: { kind: 'restricted' },
        networkCalledDevice: id('0140000000'),
        cause: 'distributed',
      },
      'alerting',
    );
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<DeliveredEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">',
        '<monitorCrossRefID>7</monitorCrossRefID>',
        '<connection><callID>12</callID><deviceID>2001</deviceID></connection>',
        '<alertingDevice><deviceIdentifier>2001</deviceIdentifier></alertingDevice>',
        '<callingDevice><restricted/></callingDevice>',
        '<calledDevice><deviceIdentifier>0140000000</deviceIdentifier></calledDevice>',
        '<lastRedirectionDevice><deviceIdentifier>3001</deviceIdentifier></lastRedirectionDevice>',
        '<localConnectionInfo>alerting</localConnectionInfo>',
        '<cause>distributed</cause>',
        '<networkCallingDevice><restricted/></networkCallingDevice>',
        '<networkCalledDevice><deviceIdentifier>0140000000</deviceIdentifier></networkCalledDevice>',
        '</DeliveredEvent>',
      ].join(''),
    );
  });
});

describe('device identifiers', () => {
  const naming = (style: 'plain' | 'e164' | 'unify') =>
    new DeviceNaming({ style, countryCode: '33', nationalPrefix: '0', internationalPrefix: '00' });

  it('writes external numbers in each vendor style', () => {
    expect(naming('plain').external('+33612345678')).toBe('0612345678');
    expect(naming('plain').external('+4930123456')).toBe('004930123456');
    expect(naming('e164').external('0612345678')).toBe('+33612345678');
    expect(naming('unify').external('+33612345678', 'Name')).toBe('N<+33612345678>;displayNumber=Name');
    expect(naming('unify').bare('N<2001>;displayNumber=Agent')).toBe('2001');
  });

  it('sends withheld and unknown callers as the ECMA-269 choices', () => {
    expect(naming('plain').caller('+33612345678', 'restricted')).toEqual({ kind: 'restricted' });
    expect(naming('plain').caller(undefined, 'allowed')).toEqual({ kind: 'notKnown' });
  });
});
