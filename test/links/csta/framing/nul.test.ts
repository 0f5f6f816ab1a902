import { describe, expect, it } from 'vitest';
import { nulFraming } from '../../../../src/links/csta/framing/nul.js';
import { decodeChunks, everySplit, payloads } from './helpers.js';

const DOCS = [
  '<MonitorStart><monitorObject>2001</monitorObject></MonitorStart>',
  '<DeliveredEvent><callingDevice>Zoë Müller ☎ 😀</callingDevice></DeliveredEvent>',
  '<ok>été</ok>',
];
const encode = (doc: string) => nulFraming.encode(Buffer.from(doc, 'utf8'), '0001');
const STREAM = Buffer.concat(DOCS.map(encode));

describe('nul framing', () => {
  it('appends one NUL byte and ignores the invoke id', () => {
    expect(nulFraming.encode(Buffer.from('<x/>'), '9999').toString('hex')).toBe('3c782f3e00');
  });

  it('refuses a document that holds a NUL byte', () => {
    expect(() => nulFraming.encode(Buffer.from('<a>\0</a>'), '0001')).toThrow(
      expect.objectContaining({ code: 'RELAIS_ERR_VALIDATION' }),
    );
  });

  it('gives back three documents without invoke ids, however the stream is split', () => {
    for (const chunks of everySplit(STREAM)) {
      const { results, buffered } = decodeChunks(nulFraming, chunks);
      expect(results).toEqual(
        DOCS.map((d) => ({ ok: true, frame: { invokeId: undefined, payload: Buffer.from(d) } })),
      );
      expect(buffered.at(-1)).toBe(0);
    }
  });

  it('decodes documents packed into one read, empty ones included', () => {
    expect(payloads(decodeChunks(nulFraming, [Buffer.from('<a/>\0\0<b/>\0')]).results)).toEqual([
      '<a/>',
      '',
      '<b/>',
    ]);
  });

  it('holds an unterminated document in `buffered`', () => {
    const decoder = nulFraming.createDecoder({ maxFrameBytes: 100 });
    expect(decoder.push(Buffer.from('<a>'))).toEqual([]);
    expect(decoder.push(Buffer.from('text'))).toEqual([]);
    expect(decoder.buffered).toBe(7);
  });

  it('drops a document longer than maxFrameBytes up to its NUL and carries on, however it is split', () => {
    const stream = Buffer.from(`<a/>\0${'x'.repeat(30)}\0<b/>\0`);
    for (const chunks of everySplit(stream)) {
      const decoder = nulFraming.createDecoder({ maxFrameBytes: 10 });
      const results = chunks.flatMap((c) => {
        const out = decoder.push(c);
        expect(decoder.buffered).toBeLessThanOrEqual(10);
        return out;
      });
      expect(payloads(results)).toEqual(['<a/>', '!too-long', '<b/>']);
      expect(results[1]?.ok === false && results[1].error.fatal).toBe(false);
    }
  });

  it('accepts a document of exactly maxFrameBytes, the terminator not counted', () => {
    expect(payloads(decodeChunks(nulFraming, [Buffer.from('0123456789\0')], 10).results)).toEqual([
      '0123456789',
    ]);
    expect(payloads(decodeChunks(nulFraming, [Buffer.from('0123456789A\0')], 10).results)).toEqual([
      '!too-long',
    ]);
  });

  it('reports an endless document once, without holding it', () => {
    const decoder = nulFraming.createDecoder({ maxFrameBytes: 10 });
    const results = Array.from({ length: 100 }, () => decoder.push(Buffer.alloc(64, 0x41))).flat();
    expect(payloads(results)).toEqual(['!too-long']);
    expect(decoder.buffered).toBe(0);
  });
});
