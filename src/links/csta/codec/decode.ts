/**
 * ECMA-323 document → typed message. Pure and never throwing: whatever arrives from a socket
 * becomes either a message or an error with a stable code.
 */
import type { CstaEvent, CstaEventName, CstaMessage } from '../messages.js';
import { EVENT_ROOTS } from './events.js';
import { compileReader, type FieldReader } from './reader.js';
import type { ServiceType } from './schema.js';
import { SERVICE_SCHEMAS } from './services.js';
import { documentText } from './xml-input.js';
import { parseXmlTree, type XmlElement } from './xml-tree.js';

export type DecodeErrorCode = 'malformed-xml' | 'empty' | 'too-large' | 'missing-field';

export type DecodeResult =
  | { ok: true; message: CstaMessage; namespace: string | undefined }
  | { ok: false; error: { code: DecodeErrorCode; message: string } };

export interface DecodeOptions {
  /** Deepest element nesting accepted (default 64; CSTA documents stay under 10). */
  maxDepth?: number;
  /** Most elements in one document (default 10,000). */
  maxElements?: number;
  /** Largest document, in bytes for a Buffer and UTF-16 units for a string (default 1 MiB). */
  maxBytes?: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<Required<DecodeOptions>> = {
  maxDepth: 64,
  maxElements: 10_000,
  maxBytes: 1024 * 1024,
};

/** What a root element decodes to: an event of some name, or a service message of some type. */
type RootDecoder = { event: CstaEventName; reader: FieldReader } | { type: ServiceType; reader: FieldReader };

const ROOT_DECODERS: ReadonlyMap<string, RootDecoder> = new Map<string, RootDecoder>([
  ...[...EVENT_ROOTS].map(
    ([root, schema]) => [root, { event: schema.name, reader: compileReader(schema.fields) }] as const,
  ),
  ...(Object.keys(SERVICE_SCHEMAS) as ServiceType[]).map(
    (type) =>
      [SERVICE_SCHEMAS[type].root, { type, reader: compileReader(SERVICE_SCHEMAS[type].fields) }] as const,
  ),
]);

const NO_OPTIONS: DecodeOptions = {};

/** The message for a well-formed tree, or the name of the mandatory field it lacks. */
function toMessage(root: XmlElement): { ok: true; message: CstaMessage } | { ok: false; missing: string } {
  const decoder = ROOT_DECODERS.get(root.name);
  if (decoder === undefined) return { ok: true, message: { type: 'Unknown', name: root.name } };
  if ('event' in decoder) {
    const read = decoder.reader.read(root, { name: decoder.event });
    // The schema types guarantee the values read fit CstaEvent (schema.ts FieldsOf).
    return read.ok
      ? { ok: true, message: { type: 'Event', event: read.values as unknown as CstaEvent } }
      : read;
  }
  const read = decoder.reader.read(root, { type: decoder.type });
  return read.ok ? { ok: true, message: read.values as unknown as CstaMessage } : read;
}

/**
 * Decodes one ECMA-323 / ECMA-354 document, whatever its edition's namespace (or none, or a
 * prefix): roots and fields are matched on local names. Unknown roots give `{ type: 'Unknown' }`;
 * unknown child elements (private data, vendor extensions) are ignored.
 */
export function decodeCsta(xml: Buffer | string, opts: DecodeOptions = NO_OPTIONS): DecodeResult {
  try {
    const limits =
      opts === NO_OPTIONS ? DEFAULT_DECODE_LIMITS : { ...DEFAULT_DECODE_LIMITS, ...definedOnly(opts) };
    const text = documentText(xml, limits.maxBytes);
    if (!text.ok) return failure(text.code, text.message);
    const tree = parseXmlTree(text.text, limits);
    if (!tree.ok) return failure(tree.code, tree.message);
    const message = toMessage(tree.root);
    if (!message.ok) return failure('missing-field', `${tree.root.name} has no ${message.missing}`);
    return { ok: true, message: message.message, namespace: tree.namespace };
  } catch (e) {
    // Nothing above throws on any input the tests and fuzzers found; this is the last line of defence.
    return failure('malformed-xml', `undecodable document (${e instanceof Error ? e.message : String(e)})`);
  }
}

function definedOnly(opts: DecodeOptions): DecodeOptions {
  const out: DecodeOptions = {};
  if (opts.maxDepth !== undefined) out.maxDepth = opts.maxDepth;
  if (opts.maxElements !== undefined) out.maxElements = opts.maxElements;
  if (opts.maxBytes !== undefined) out.maxBytes = opts.maxBytes;
  return out;
}

function failure(code: DecodeErrorCode, message: string): DecodeResult {
  return { ok: false, error: { code, message } };
}
