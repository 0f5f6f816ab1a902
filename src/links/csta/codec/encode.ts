/**
 * Typed message → complete ECMA-323 / ECMA-354 document. Every variant encodes, events included,
 * so tests, the switch simulator and tools can round-trip through `decodeCsta`.
 */
import type { CstaMessage } from '../messages.js';
import { EVENT_SCHEMAS } from './events.js';
import { writeField } from './fields.js';
import { APPL_SESSION_NAMESPACE } from './namespaces.js';
import { fieldEntries } from './schema.js';
import { SERVICE_SCHEMAS } from './services.js';
import { escapeAttribute, isSafeElementName } from './xml-text.js';

export interface EncodeOptions {
  /** The ECMA-323 namespace of the link's edition (`CSTA_NAMESPACES.ed3`…); ECMA-354 messages use their own. */
  namespace: string;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function writeFields(fields: object, msg: Readonly<Record<string, unknown>>): string {
  let xml = '';
  for (const [key, field] of fieldEntries(fields)) xml += writeField(field, msg[key], msg);
  return xml;
}

function document(root: string, namespace: string, content: string): string {
  const open = `${root} xmlns="${escapeAttribute(namespace)}"`;
  return content === '' ? `${XML_DECLARATION}<${open}/>` : `${XML_DECLARATION}<${open}>${content}</${root}>`;
}

/**
 * Encodes one message. An `Unknown` message becomes an empty element of its name (or `Unknown`
 * when the name is not a plain XML name); text is escaped and characters XML 1.0 cannot carry are
 * dropped.
 */
export function encodeCsta(msg: CstaMessage, opts: EncodeOptions): string {
  switch (msg.type) {
    case 'Event': {
      const schema = EVENT_SCHEMAS.get(msg.event.name);
      const root = schema?.root ?? `${msg.event.name}Event`;
      const content = schema === undefined ? '' : writeFields(schema.fields, { ...msg.event });
      return document(root, opts.namespace, content);
    }
    case 'Unknown':
      return document(isSafeElementName(msg.name) ? msg.name : 'Unknown', opts.namespace, '');
    default: {
      const schema = SERVICE_SCHEMAS[msg.type];
      const namespace = schema.session === true ? APPL_SESSION_NAMESPACE : opts.namespace;
      return document(schema.root, namespace, writeFields(schema.fields, { ...msg }));
    }
  }
}
