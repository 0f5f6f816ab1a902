/**
 * Fuzzing the decoder: arbitrary text, arbitrary bytes, and valid documents with bytes flipped,
 * inserted and deleted. The decoder must never throw and must always give a well-typed result;
 * and the fast XML scanner must build exactly the tree saxes builds whenever it accepts a document.
 *
 * 2,000 runs per property by default; with RELAIS_LONG_TESTS=1 (the suite's long mode) the six
 * properties share 1,000,000 runs, cut into batches so that no test holds the worker for long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCsta, encodeCsta } from '../../../../src/links/csta/codec/index.js';
import { fastXmlTree } from '../../../../src/links/csta/codec/xml-fast.js';
import { saxesXmlTree } from '../../../../src/links/csta/codec/xml-saxes.js';
import type { CstaMessage, CstaMessageType } from '../../../../src/links/csta/messages.js';
import { cstaMessage, LONG_MODE, runs } from './arbitraries.js';
import { ALL_FIXTURES, NS } from './fixtures.js';

const PROPERTIES = 6;
const BATCHES = LONG_MODE ? 10 : 1;
const RUNS = runs(1 / PROPERTIES);
if (LONG_MODE && RUNS * PROPERTIES < 1_000_000) throw new Error('long mode must try 1,000,000 inputs');

/** One `it` per batch; each yields first so Vitest's worker stays responsive during long runs. */
function itHolds<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>): void {
  for (let batch = 1; batch <= BATCHES; batch++) {
    it(BATCHES === 1 ? name : `${name} (${batch}/${BATCHES})`, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      fc.assert(property, { numRuns: Math.ceil(RUNS / BATCHES) });
    }, 600_000);
  }
}

const TYPES: ReadonlySet<CstaMessageType> = new Set<CstaMessageType>([
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
  'Event',
  'Unknown',
]);
const CODES = new Set(['malformed-xml', 'empty', 'too-large', 'missing-field']);

/**
 * A result is well typed when it is an error with a known code and a message, or a message of a
 * known type that survives re-encoding: whatever was decoded, encoding and decoding it again gives
 * a message that is then stable (the first pass may normalise, e.g. add a default category).
 */
function checkDecoded(input: Buffer | string): void {
  const result = decodeCsta(input);
  if (!result.ok) {
    expect(CODES.has(result.error.code)).toBe(true);
    expect(typeof result.error.message).toBe('string');
    return;
  }
  expect(TYPES.has(result.message.type)).toBe(true);
  expect(result.namespace === undefined || typeof result.namespace === 'string').toBe(true);
  const once = reencoded(result.message);
  expect(reencoded(once)).toStrictEqual(once);
}

function reencoded(msg: CstaMessage): CstaMessage {
  const again = decodeCsta(encodeCsta(msg, { namespace: NS.ed3 }));
  if (!again.ok) throw new Error(`re-encoded message does not decode: ${again.error.message}`);
  return again.message;
}

const LIMITS = { maxDepth: 64, maxElements: 10_000 };

/** Whenever the fast scanner accepts a document, saxes accepts it too and builds the same tree. */
function checkSameTree(text: string): void {
  const fast = fastXmlTree(text, LIMITS);
  if (fast === undefined) return;
  expect(saxesXmlTree(text, LIMITS)).toStrictEqual(fast);
}

/** Pieces of XML, valid and not, to assemble into near-documents. */
const XML_PIECE = fc.constantFrom(
  '<a>',
  '</a>',
  '<b x="1">',
  '<b x=\'1\' y="2">',
  '</b>',
  '<c/>',
  '<c />',
  '<p:d xmlns:p="urn:p">',
  '</p:d>',
  '<p:e/>',
  '<f xmlns="">',
  '</f>',
  '<g xmlns="urn:g" xmlns:q="urn:q" q:t="v">',
  '</g>',
  '<h a="1" a="2"/>',
  '<i a="&lt;&#x41;&#65;&amp;"/>',
  '<j a="\t\r\n"/>',
  'text',
  ' ',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '&amp;',
  '&lt;&gt;&quot;&apos;',
  '&#x1F600;',
  '&#xD800;',
  '&#0;',
  '&#X41;',
  '&#65',
  '&bogus;',
  '&',
  ']]>',
  ']]',
  '>',
  '<![CDATA[x]]>',
  '<!-- c -->',
  '<?pi x?>',
  '<!DOCTYPE a>',
  '<?xml version="1.0"?>',
  '\u0001',
  '\uD800',
  '\uFFFE',
  'é',
  '😀',
  '<1a>',
  '<a:b:c>',
  '<xmlns:a>',
  '<-a>',
  '<a.b-c_d>',
  '</a.b-c_d>',
  '<a b>',
  '<a b=>',
  '<a b="1"c="2">',
  '< a>',
  '</ a>',
  '</a >',
);

/** Raw character data: references, line ends, non-ASCII, and now and then something invalid. */
const RAW_TEXT = fc
  .array(
    fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          'x',
          '2001',
          '+49',
          ' ',
          '\t',
          '\n',
          '\r\n',
          '\r',
          'é',
          '😀',
          '>',
          ']',
          ']]',
          "'",
          '"',
        ),
      },
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          '&amp;',
          '&lt;',
          '&gt;',
          '&quot;',
          '&apos;',
          '&#65;',
          '&#x1F600;',
          '&#13;',
          '&#x9;',
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom('&', '<', ']]>', '&#0;', '&nbsp;', '\u0001', '\uFFFF') },
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));
const SPACE = fc.constantFrom('', ' ', '\n  ', '\t', '\r\n');
const ELEMENT_NAME = fc.constantFrom('a', 'b', 'p:c', 'q:d', 'deviceIdentifier', 'x.y-z_1', 'r:e');
const ATTRIBUTE = fc.tuple(
  fc.constantFrom('t', 'typeOfNumber', 'p:u', 'q:u', 'xmlns:p', 'xmlns:q', 'xmlns', 'xmlns:r'),
  fc.oneof(RAW_TEXT, fc.constantFrom('urn:p', ' urn:q ', '', 'http://www.w3.org/2000/xmlns/')),
  fc.constantFrom('"', "'"),
  SPACE,
);

type Node = {
  name: string;
  attrs: [string, string, string, string][];
  content: Array<Node | string>;
  space: string;
};
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.record({
    name: ELEMENT_NAME,
    attrs: fc.array(ATTRIBUTE, { maxLength: 3 }),
    content: fc.array(fc.oneof({ weight: 2, arbitrary: RAW_TEXT }, { weight: 1, arbitrary: tie('node') }), {
      maxLength: 4,
      depthIdentifier: 'xml',
    }),
    space: SPACE,
  }),
}));

/** Serialises a generated tree; quotes inside attribute values are escaped as most writers do. */
function serialise(n: Node): string {
  const attrs = n.attrs
    .map(
      ([k, v, q, sp]) =>
        ` ${k}${sp}=${sp}${q}${v.replaceAll(q, q === '"' ? '&quot;' : '&apos;').replaceAll('<', '&lt;')}${q}`,
    )
    .join('');
  if (n.content.length === 0) return `<${n.name}${attrs}${n.space}/>`;
  const inner = n.content.map((c) => (typeof c === 'string' ? c : serialise(c))).join('');
  return `<${n.name}${attrs}${n.space}>${inner}</${n.name}${n.space}>`;
}

/** Mostly well-formed documents: prefixes p and q are bound at the root, r is not. */
const generatedDocument = fc
  .tuple(
    node,
    fc.constantFrom('', '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>\n'),
    SPACE,
  )
  .map(
    ([root, decl, after]) =>
      `${decl}<root xmlns="urn:root" xmlns:p="urn:p" xmlns:q="urn:q">${serialise(root)}</root>${after}`,
  );

/** A byte-level edit of a valid document. */
type Mutation = {
  kind: 'flip' | 'insert' | 'delete' | 'duplicate' | 'truncate';
  at: number;
  byte: number;
  len: number;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'insert', 'delete', 'duplicate', 'truncate'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
  len: fc.integer({ min: 1, max: 16 }),
});

function mutate(doc: Buffer, edits: readonly Mutation[]): Buffer {
  let out = doc;
  for (const { kind, at, byte, len } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    switch (kind) {
      case 'flip':
        out = Buffer.from(out);
        if (out.length > 0) out[i] = byte;
        break;
      case 'insert':
        out = Buffer.concat([out.subarray(0, i), Buffer.from([byte]), out.subarray(i)]);
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, i), out.subarray(i + len)]);
        break;
      case 'duplicate':
        out = Buffer.concat([out.subarray(0, i + len), out.subarray(i)]);
        break;
      case 'truncate':
        out = out.subarray(0, i);
        break;
    }
  }
  return out;
}

const validDocument: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(...ALL_FIXTURES.map((f) => Buffer.from(f.xml, 'utf8'))),
  cstaMessage.map((m) => Buffer.from(encodeCsta(m, { namespace: NS.ed4 }), 'utf8')),
);
const mutatedDocument = fc
  .tuple(validDocument, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([doc, edits]) => mutate(doc, edits));

describe('decodeCsta never throws and always answers in its types', () => {
  itHolds(
    'arbitrary text (any code point, XML pieces)',
    fc.property(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.array(XML_PIECE, { maxLength: 40 }).map((p) => p.join('')),
        fc.array(XML_PIECE, { maxLength: 30 }).map((p) => `<DeliveredEvent>${p.join('')}</DeliveredEvent>`),
      ),
      (text) => checkDecoded(text),
    ),
  );

  itHolds(
    'arbitrary bytes',
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => checkDecoded(Buffer.from(bytes))),
  );

  itHolds(
    'valid documents with bytes flipped, inserted, deleted, duplicated or cut',
    fc.property(mutatedDocument, (doc) => {
      checkDecoded(doc);
      checkDecoded(doc.toString('latin1'));
    }),
  );
});

describe('the fast XML scanner agrees with saxes', () => {
  it('takes every plain fixture (no comment, CDATA or DOCTYPE) itself', () => {
    for (const fixture of ALL_FIXTURES) {
      expect(fastXmlTree(fixture.xml, LIMITS), fixture.name).toBeDefined();
      checkSameTree(fixture.xml);
    }
  });

  itHolds(
    'on near-documents assembled from XML pieces',
    fc.property(
      fc.array(XML_PIECE, { maxLength: 40 }),
      fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' standalone='no' ?>"),
      (pieces, decl) => {
        checkSameTree(`${decl}${pieces.join('')}`);
        checkSameTree(`${decl}<r xmlns="urn:r">${pieces.join('')}</r>`);
      },
    ),
  );

  itHolds(
    'on generated, mostly well-formed documents',
    fc.property(generatedDocument, (doc) => checkSameTree(doc)),
  );

  itHolds(
    'on mutated documents',
    fc.property(mutatedDocument, (doc) => {
      checkSameTree(doc.toString('utf8'));
      checkSameTree(doc.toString('latin1'));
    }),
  );
});
