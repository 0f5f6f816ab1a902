import { describe, expect, it } from 'vitest';
import { isRelaisError } from '../../../../src/errors.js';
import { headerFraming, MAX_HEADER_PAYLOAD_BYTES } from '../../../../src/links/csta/framing/header.js';
import { UNSOLICITED_INVOKE_ID } from '../../../../src/links/csta/framing/types.js';
import { cut, decodeChunks, everySplit, payloads } from './helpers.js';

const frame = (payload: string, invokeId: string) =>
  headerFraming.encode(Buffer.from(payload, 'utf8'), invokeId);

const DOCS = [
  { payload: '<MonitorStart><monitorObject>2001</monitorObject></MonitorStart>', invokeId: '0001' },
  {
    payload: '<DeliveredEvent><callingDevice>Zoë Müller ☎ 😀</callingDevice></DeliveredEvent>',
    invokeId: '9999',
  },
  { payload: '<ok>été</ok>', invokeId: '0042' },
];
const STREAM = Buffer.concat(DOCS.map((d) => frame(d.payload, d.invokeId)));

describe('header framing: encoding', () => {
  it('writes 00 00, the total length in bytes and the invoke id before the document', () => {
    expect(frame('<x/>', '0001').toString('hex')).toBe(
      `0000000c30303031${Buffer.from('<x/>').toString('hex')}`,
    );
    // 'é' is two bytes in UTF-8: the length counts bytes, not characters.
    expect(frame('é', '9999').readUInt16BE(2)).toBe(10);
  });

  it('refuses an invoke id that is not four ASCII digits', () => {
    for (const id of ['123', '12345', '12a4', '١٢٣٤', ' 123', '']) {
      expect(() => headerFraming.encode(Buffer.from('<x/>'), id)).toThrow(
        expect.objectContaining({ code: 'RELAIS_ERR_VALIDATION' }),
      );
    }
  });

  it('encodes the largest document the 16-bit length allows, and refuses one byte more', () => {
    const largest = Buffer.alloc(MAX_HEADER_PAYLOAD_BYTES, 0x61);
    const encoded = headerFraming.encode(largest, '0007');
    expect(encoded.readUInt16BE(2)).toBe(65_535);
    const [result] = decodeChunks(headerFraming, [encoded]).results;
    expect(result?.ok && result.frame.payload.equals(largest)).toBe(true);
    let error: unknown;
    try {
      headerFraming.encode(Buffer.alloc(MAX_HEADER_PAYLOAD_BYTES + 1), '0007');
    } catch (e) {
      error = e;
    }
    expect(isRelaisError(error, 'RELAIS_ERR_VALIDATION')).toBe(true);
  });
});

describe('header framing: decoding', () => {
  it('gives back three frames, multi-byte UTF-8 included, however the stream is split', () => {
    let splits = 0;
    for (const chunks of everySplit(STREAM)) {
      const { results, buffered } = decodeChunks(headerFraming, chunks);
      expect(results).toEqual(
        DOCS.map((d) => ({ ok: true, frame: { invokeId: d.invokeId, payload: Buffer.from(d.payload) } })),
      );
      expect(buffered.at(-1)).toBe(0);
      splits++;
    }
    expect(splits).toBe(STREAM.length + 2);
  });

  it('gives back the frames when the stream is cut at every pair of positions', () => {
    for (let a = 0; a <= STREAM.length; a++) {
      for (let b = a; b <= STREAM.length; b++) {
        expect(payloads(decodeChunks(headerFraming, cut(STREAM, [a, b])).results)).toEqual(
          DOCS.map((d) => d.payload),
        );
      }
    }
  });

  it('decodes many frames packed into one read', () => {
    const docs = Array.from({ length: 500 }, (_, i) => `<e n="${i}">${'x'.repeat(i % 37)}</e>`);
    const packed = Buffer.concat(docs.map((d, i) => frame(d, String(i % 10_000).padStart(4, '0'))));
    const { results } = decodeChunks(headerFraming, [packed]);
    expect(payloads(results)).toEqual(docs);
    expect(results.map((r) => r.ok && r.frame.invokeId).slice(0, 3)).toEqual(['0000', '0001', '0002']);
  });

  it('passes the unsolicited invoke id 9999 through', () => {
    const [result] = decodeChunks(headerFraming, [
      frame('<CallClearedEvent/>', UNSOLICITED_INVOKE_ID),
    ]).results;
    expect(result).toMatchObject({ ok: true, frame: { invokeId: '9999' } });
  });

  it('accepts an empty document (length 8)', () => {
    expect(decodeChunks(headerFraming, [frame('', '0001')]).results).toEqual([
      { ok: true, frame: { invokeId: '0001', payload: Buffer.alloc(0) } },
    ]);
  });

  it('hands out payloads that do not change when the read buffer is reused', () => {
    const chunk = frame('<a/>', '0001');
    const decoder = headerFraming.createDecoder({ maxFrameBytes: 1000 });
    const [result] = decoder.push(chunk);
    chunk.fill(0x7a);
    expect(result?.ok && result.frame.payload.toString()).toBe('<a/>');
  });

  it('skips a frame announced above maxFrameBytes and carries on with the next one', () => {
    const big = frame('x'.repeat(100), '0005');
    const stream = Buffer.concat([frame('<a/>', '0001'), big, frame('<b/>', '0002')]);
    for (const chunks of everySplit(stream)) {
      const decoder = headerFraming.createDecoder({ maxFrameBytes: 50 });
      const results = chunks.flatMap((c) => {
        const out = decoder.push(c);
        // The skipped document is never held.
        expect(decoder.buffered).toBeLessThan(50);
        return out;
      });
      expect(payloads(results)).toEqual(['<a/>', '!too-long', '<b/>']);
      const tooLong = results[1];
      expect(tooLong?.ok === false && tooLong.error).toMatchObject({ fatal: false });
      expect(tooLong?.ok === false && tooLong.error.message).toContain('0005');
    }
  });

  it('counts the header in maxFrameBytes: a frame of exactly the limit passes, one byte more does not', () => {
    expect(payloads(decodeChunks(headerFraming, [frame('12', '0001')], 10).results)).toEqual(['12']);
    expect(payloads(decodeChunks(headerFraming, [frame('123', '0001')], 10).results)).toEqual(['!too-long']);
  });

  it('fails fatally on the first byte of a document sent without a header, and then ignores the stream', () => {
    const decoder = headerFraming.createDecoder({ maxFrameBytes: 65_535 });
    const [result, ...rest] = decoder.push(Buffer.from('<'));
    expect(rest).toEqual([]);
    expect(result?.ok === false && result.error).toMatchObject({ code: 'bad-header', fatal: true });
    expect(result?.ok === false && result.error.message).toMatch(/nul framing/);
    expect(decoder.push(frame('<a/>', '0001'))).toEqual([]);
    expect(decoder.buffered).toBe(0);
  });

  it('fails fatally on an invoke id that is not digits', () => {
    const bytes = Buffer.from('0000000c3030413100000000', 'hex');
    expect(decodeChunks(headerFraming, [bytes]).results).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'bad-header', fatal: true }) },
    ]);
  });

  it('fails fatally on a length below the header size, before the invoke id arrives', () => {
    const { results } = decodeChunks(headerFraming, [Buffer.from('00000005', 'hex')]);
    expect(results).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'bad-length', fatal: true }) },
    ]);
  });

  it('waits for a frame that announces more than it sends, showing what it holds in `buffered`', () => {
    const lying = frame('<a/>', '0001');
    lying.writeUInt16BE(1000, 2);
    const decoder = headerFraming.createDecoder({ maxFrameBytes: 65_535 });
    expect(decoder.push(lying)).toEqual([]);
    expect(decoder.buffered).toBe(12);
    expect(decoder.push(Buffer.alloc(500, 0x20))).toEqual([]);
    expect(decoder.buffered).toBe(512);
  });

  it('reads the tail of a frame that announces less than it sends as the next header: bad-header', () => {
    const lying = frame('<a>hello</a>', '0001');
    lying.writeUInt16BE(8 + 3, 2);
    const { results } = decodeChunks(headerFraming, [lying]);
    expect(payloads(results)).toEqual(['<a>', '!bad-header']);
  });

  it('refuses a maxFrameBytes that is not a positive integer', () => {
    for (const maxFrameBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => headerFraming.createDecoder({ maxFrameBytes })).toThrow(
        expect.objectContaining({ code: 'RELAIS_ERR_VALIDATION' }),
      );
    }
  });
});
