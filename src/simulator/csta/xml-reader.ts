/**
 * Reads one XML document into a small tree keyed by local names, so that a request is understood
 * whatever its namespace (ECMA-323 ed2, ed3, ECMA-354, or none) or prefix. Namespace prefixes must
 * be declared (a client that sends `<csta:MonitorStart>` without `xmlns:csta` is wrong, and the
 * simulator says so).
 */
import { SaxesParser } from 'saxes';

export interface XmlNode {
  /** Local name, prefix removed. */
  name: string;
  /** Namespace URI ('' when none). */
  uri: string;
  /** Attributes by local name. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Concatenated character data directly inside this element, trimmed. */
  text: string;
}

export class XmlReadError extends Error {
  override name = 'XmlReadError';
}

/** Parses a document; throws XmlReadError when it is not well-formed. */
export function readXml(source: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlNode[] = [];
  const texts: string[][] = [];
  let root: XmlNode | undefined;
  let failure: string | undefined;
  parser.on('error', (err) => {
    failure ??= err.message;
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    }
    const node: XmlNode = { name: tag.local, uri: tag.uri, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root ??= node;
    stack.push(node);
    texts.push([]);
  });
  const onText = (t: string) => texts[texts.length - 1]?.push(t);
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const node = stack.pop();
    const parts = texts.pop();
    if (node && parts) node.text = parts.join('').trim();
  });
  parser.write(source).close();
  if (failure !== undefined) throw new XmlReadError(failure);
  if (!root) throw new XmlReadError('empty document');
  return root;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** Text of a direct child, or undefined when the child is absent. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  return child(node, name)?.text;
}

/**
 * A device identifier wherever it sits: ECMA-323 sends it either as the element's text
 * (`<deviceObject>2001</deviceObject>`) or inside a `deviceIdentifier` choice
 * (`<routeSelected><deviceIdentifier>2001</deviceIdentifier></routeSelected>`).
 */
export function deviceText(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const inner = child(node, 'deviceIdentifier') ?? child(node, 'deviceID');
  const value = inner ? inner.text : node.text;
  return value === '' ? undefined : value;
}
