import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECODE_LIMITS,
  type DecodeResult,
  decodeCsta,
} from '../../../../src/links/csta/codec/index.js';
import { ALL_FIXTURES } from './fixtures.js';

type Code = 'malformed-xml' | 'empty' | 'too-large' | 'missing-field';

function expectError(result: DecodeResult, code: Code): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(code);
  expect(typeof result.error.message).toBe('string');
  expect(result.error.message.length).toBeGreaterThan(0);
}

const DELIVERED = ALL_FIXTURES[0]?.xml ?? '';
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<DeliveredEvent><monitorCrossRefID>&lol9;</monitorCrossRefID></DeliveredEvent>`;

describe('decodeCsta: empty input', () => {
  it.each([
    ['an empty string', ''],
    ['white space', ' \r\n\t '],
    ['an empty Buffer', Buffer.alloc(0)],
    ['a byte-order mark alone', Buffer.from([0xef, 0xbb, 0xbf])],
    ['NUL bytes (a framing leftover)', Buffer.from([0, 0])],
  ])('%s → empty', (_name, input) => {
    expectError(decodeCsta(input), 'empty');
  });
});

describe('decodeCsta: malformed documents', () => {
  it.each([
    ['truncated in a tag', DELIVERED.slice(0, DELIVERED.indexOf('</monitorCrossRefID>') + 5)],
    ['truncated after an element', DELIVERED.slice(0, DELIVERED.indexOf('<callingDevice>'))],
    ['truncated in an entity', '<HeldEvent><cause>a&am'],
    ['truncated in the declaration', '<?xml version="1.0" enc'],
    ['wrong nesting', '<HeldEvent><cause><x></cause></x></HeldEvent>'],
    ['a stray close tag', '<HeldEvent></cause></HeldEvent>'],
    ['two roots', '<HeldEvent/><HeldEvent/>'],
    ['text before the root', 'junk<HeldEvent/>'],
    ['text after the root', '<HeldEvent/>junk'],
    ['no root at all', '<?xml version="1.0"?><!-- nothing -->'],
    ['plain text', 'hello'],
    ['a DOCTYPE with entities (billion laughs)', BILLION_LAUGHS],
    [
      'an external entity (XXE)',
      '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><HeldEvent><cause>&xxe;</cause></HeldEvent>',
    ],
    ['a bare DOCTYPE', '<!DOCTYPE HeldEvent><HeldEvent/>'],
    ['an undefined entity', '<HeldEvent><cause>&nbsp;</cause></HeldEvent>'],
    ['a bare ampersand', '<HeldEvent><cause>a & b</cause></HeldEvent>'],
    ['a bad character reference', '<HeldEvent><cause>&#0;</cause></HeldEvent>'],
    ['a control character', '<HeldEvent><cause>a\u0001b</cause></HeldEvent>'],
    ['an unpaired surrogate', '<HeldEvent><cause>a\uD800b</cause></HeldEvent>'],
    ['an unbound prefix', '<csta:HeldEvent><cause/></csta:HeldEvent>'],
    ['a duplicate attribute', '<HeldEvent a="1" a="2"/>'],
    ['an unquoted attribute', '<HeldEvent a=1/>'],
    ['`<` in an attribute', '<HeldEvent a="<"/>'],
    ['`]]>` in text', '<HeldEvent><cause>]]></cause></HeldEvent>'],
    ['a bad element name', '<1HeldEvent/>'],
    ['a misplaced XML declaration', ' <?xml version="1.0"?><HeldEvent/>'],
    ['an unterminated comment', '<HeldEvent><!-- </HeldEvent>'],
  ])('%s', (_name, xml) => {
    expectError(decodeCsta(xml), 'malformed-xml');
    // UTF-8 cannot carry an unpaired surrogate (Buffer.from writes U+FFFD instead).
    if (!/[\uD800-\uDFFF]/.test(xml)) expectError(decodeCsta(Buffer.from(xml, 'utf8')), 'malformed-xml');
  });

  it('refuses the billion laughs at once, without expanding anything', () => {
    const start = process.hrtime.bigint();
    expectError(decodeCsta(BILLION_LAUGHS), 'malformed-xml');
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(200);
  });

  it.each([
    ['a lone continuation byte', [0x3c, 0x61, 0x3e, 0x80, 0x3c, 0x2f, 0x61, 0x3e]],
    ['0xFF', [0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]],
    ['an overlong slash', [0x3c, 0x61, 0x3e, 0xc0, 0xaf, 0x3c, 0x2f, 0x61, 0x3e]],
    ['an encoded surrogate', [0x3c, 0x61, 0x3e, 0xed, 0xa0, 0x80, 0x3c, 0x2f, 0x61, 0x3e]],
    ['a truncated sequence', [0x3c, 0x61, 0x3e, 0xe2, 0x82, 0x3c, 0x2f, 0x61, 0x3e]],
    ['a truncated UTF-16 document', [0xff, 0xfe, 0x3c, 0x00, 0x61]],
  ])('invalid bytes: %s', (_name, bytes) => {
    expectError(decodeCsta(Buffer.from(bytes)), 'malformed-xml');
  });

  it('refuses an encoding it cannot decode rather than guessing', () => {
    expectError(
      decodeCsta(Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-US"?><a/>')),
      'malformed-xml',
    );
  });

  it('refuses what is neither a Buffer nor a string, without throwing', () => {
    for (const input of [undefined, null, 42, {}, ['<a/>']]) {
      expectError(decodeCsta(input as unknown as string), 'malformed-xml');
    }
  });
});

describe('decodeCsta: limits', () => {
  it('uses 64 levels, 10,000 elements and 1 MiB unless told', () => {
    expect(DEFAULT_DECODE_LIMITS).toEqual({ maxDepth: 64, maxElements: 10_000, maxBytes: 1_048_576 });
  });

  it('refuses 10,000-deep nesting', () => {
    const deep = `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`;
    expectError(decodeCsta(deep), 'too-large');
    expectError(decodeCsta(`<?xml version="1.0"?><!-- c -->${deep}`), 'too-large');
  });

  it('refuses unclosed deep nesting as too large before it notices the truncation', () => {
    expectError(decodeCsta('<a>'.repeat(100_000)), 'too-large');
  });

  it('accepts nesting up to maxDepth and refuses one level more', () => {
    const nest = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    expect(decodeCsta(nest(64)).ok).toBe(true);
    expectError(decodeCsta(nest(65)), 'too-large');
    expect(decodeCsta(nest(5), { maxDepth: 5 }).ok).toBe(true);
    expectError(decodeCsta(nest(6), { maxDepth: 5 }), 'too-large');
  });

  it('refuses too many elements', () => {
    const flat = `<HeldEvent>${'<x/>'.repeat(10_000)}</HeldEvent>`;
    expectError(decodeCsta(flat), 'too-large');
    expect(
      decodeCsta(`<HeldEvent><monitorCrossRefID>1</monitorCrossRefID>${'<x/>'.repeat(9_998)}</HeldEvent>`).ok,
    ).toBe(true);
    expectError(decodeCsta('<a><b/><c/></a>', { maxElements: 2 }), 'too-large');
  });

  it('refuses a huge attribute by the document size, and takes it when allowed', () => {
    const huge = `<HeldEvent vendor="${'x'.repeat(2 * 1024 * 1024)}"><monitorCrossRefID>1</monitorCrossRefID></HeldEvent>`;
    expectError(decodeCsta(huge), 'too-large');
    expectError(decodeCsta(Buffer.from(huge)), 'too-large');
    expect(decodeCsta(huge, { maxBytes: 4 * 1024 * 1024 }).ok).toBe(true);
  });

  it('refuses a huge text the same way', () => {
    expectError(decodeCsta(Buffer.from(`<HeldEvent>${'y'.repeat(1_100_000)}</HeldEvent>`)), 'too-large');
  });
});
