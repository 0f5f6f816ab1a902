/**
 * The fast path of `xml-tree.ts`: a strict scanner for the plain XML switches send (an XML
 * declaration, elements with ASCII names, attributes, text with the predefined entities and
 * character references). It builds the tree only when it is sure saxes would build the same one
 * and returns undefined for anything else: comments, CDATA, processing instructions, DOCTYPE,
 * non-ASCII names, any well-formedness doubt, any limit reached. saxes then decides, so every error
 * and every message comes from saxes.
 */
import { isBlankText } from './xml-text.js';
import type { TreeLimits, TreeResult, XmlElement } from './xml-tree.js';

/** Namespaces in XML 1.0 §3: these two URIs cannot be bound by a document. */
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** Characters XML 1.0 §2.2 forbids anywhere: C0 controls, U+FFFE/FFFF, unpaired surrogates. */
const FORBIDDEN_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Anything in character data or an attribute value that needs a closer look: references, CR,
 * `]`, `<`, and whatever FORBIDDEN_CHAR may match. Most values have none and are taken as they are.
 * Every other character of a document is checked by the scanner itself (names, white space).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: see FORBIDDEN_CHAR
const SPECIAL = /[\u0000-\u001F&<\]\uD800-\uDFFF\uFFFE\uFFFF]/;
/** XML 1.0 §2.8 declaration, version 1.0 only (1.1 changes the character rules: saxes handles it). */
const XML_DECL =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.0"|'1\.0')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;
/** XML 1.0 §2.11 end-of-line handling. */
const LINE_END = /\r\n?/g;
/** XML 1.0 §3.3.3 attribute-value normalisation (after end-of-line handling). */
const ATTR_WHITESPACE = /\r\n|[\t\n\r]/g;

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

interface Open {
  el: XmlElement;
  qname: string;
  bindings: Record<string, string> | undefined;
}

/** Scanner state for one document; a failed step returns -1 and the document goes to saxes. */
class Scan {
  readonly stack: Open[] = [];
  root: XmlElement | undefined;
  namespace: string | undefined;
  count = 0;
  /** Attribute names and values of the tag being read (reused: only `push` reads it). */
  private readonly raw: string[] = [];

  constructor(
    readonly text: string,
    readonly limits: TreeLimits,
  ) {}

  /** Character data between `start` and `end`; false when saxes must look at it. */
  addText(start: number, end: number): boolean {
    // White space between elements is dropped, as the saxes path does (isBlankText).
    if (skipSpace(this.text, start) >= end) return true;
    const top = this.stack[this.stack.length - 1];
    // Outside the root only white space may appear (XML 1.0 §2.1, Misc).
    if (top === undefined) return false;
    const raw = this.text.slice(start, end);
    const value = SPECIAL.test(raw) ? decodeText(raw) : raw;
    if (value === undefined) return false;
    if (!isBlankText(value)) top.el.text += value;
    return true;
  }

  /** `</name>` at `lt`; returns the position after it. */
  closeTag(lt: number): number {
    const top = this.stack.pop();
    if (top === undefined || !this.text.startsWith(top.qname, lt + 2)) return -1;
    const gt = skipSpace(this.text, lt + 2 + top.qname.length);
    return this.text.charCodeAt(gt) === GT ? gt + 1 : -1;
  }

  /** `<name attr="…">` or `<name/>` at `lt`; returns the position after it. */
  openTag(lt: number): number {
    if (this.root !== undefined && this.stack.length === 0) return -1;
    const nameEnd = scanName(this.text, lt + 1);
    if (nameEnd < 0) return -1;
    const raw = this.raw;
    if (raw.length !== 0) raw.length = 0;
    const end = readAttributes(this.text, nameEnd, raw);
    if (end < 0) return -1;
    this.count += 1;
    if (this.count > this.limits.maxElements || this.stack.length >= this.limits.maxDepth) return -1;
    const selfClosing = this.text.charCodeAt(end - 2) === SLASH;
    return this.push(this.text.slice(lt + 1, nameEnd), raw, selfClosing) ? end : -1;
  }

  private push(qname: string, raw: string[], selfClosing: boolean): boolean {
    const bindings = raw.length === 0 ? undefined : namespaceBindings(raw);
    if (bindings === null) return false;
    const colon = qname.indexOf(':');
    const parent = this.stack[this.stack.length - 1];
    // The tree keeps the namespace of the root only; other elements just need a bound prefix.
    let uri: string | undefined;
    if (colon !== -1) {
      const prefix = qname.slice(0, colon);
      if (prefix === 'xml' || prefix === 'xmlns') return false;
      uri = this.resolve(prefix, bindings);
      if (uri === undefined || uri === '') return false;
    } else if (parent === undefined) {
      uri = bindings?.[''];
    }
    const attrs = raw.length === 0 ? undefined : this.attributes(raw, bindings);
    if (attrs === null) return false;
    const el: XmlElement = {
      name: colon === -1 ? qname : qname.slice(colon + 1),
      attrs,
      text: '',
      children: [],
    };
    if (parent === undefined) {
      this.root = el;
      this.namespace = uri === undefined || uri === '' ? undefined : uri;
    } else {
      parent.el.children.push(el);
    }
    if (!selfClosing) this.stack.push({ el, qname, bindings });
    return true;
  }

  /**
   * Attributes by local name without namespace declarations; null on an unbound prefix or a
   * duplicate (Namespaces in XML §6.3: no two attributes with the same expanded name).
   */
  private attributes(
    raw: string[],
    bindings: Record<string, string> | undefined,
  ): Record<string, string> | undefined | null {
    let attrs: Record<string, string> | undefined;
    const expanded: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      const colon = name.indexOf(':');
      const prefix = colon === -1 ? '' : name.slice(0, colon);
      const local = colon === -1 ? name : name.slice(colon + 1);
      let uri = '';
      if (prefix === 'xmlns') uri = XMLNS_NAMESPACE;
      else if (prefix !== '') {
        const bound = prefix === 'xml' ? undefined : this.resolve(prefix, bindings);
        if (bound === undefined || bound === '') return null;
        uri = bound;
      }
      const key = uri === '' ? name : `{${uri}}${local}`;
      if (expanded.includes(key)) return null;
      expanded.push(key);
      if (prefix === 'xmlns' || name === 'xmlns') continue;
      attrs ??= Object.create(null) as Record<string, string>;
      attrs[local] = raw[i + 1] as string;
    }
    return attrs;
  }

  private resolve(prefix: string, own: Record<string, string> | undefined): string | undefined {
    const uri = own?.[prefix];
    if (uri !== undefined) return uri;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const bound = this.stack[i]?.bindings?.[prefix];
      if (bound !== undefined) return bound;
    }
    return undefined;
  }
}

/**
 * Reads attributes from `p` up to and including `>` or `/>`, pushing name and value pairs onto
 * `out`; returns the position after the tag.
 */
function readAttributes(text: string, from: number, out: string[]): number {
  let p = from;
  for (;;) {
    const afterSpace = skipSpace(text, p);
    const c = text.charCodeAt(afterSpace);
    if (c === GT) return afterSpace + 1;
    if (c === SLASH) return text.charCodeAt(afterSpace + 1) === GT ? afterSpace + 2 : -1;
    // XML 1.0 §3.1: attributes are separated by white space.
    if (afterSpace === p) return -1;
    const nameEnd = scanName(text, afterSpace);
    if (nameEnd < 0) return -1;
    const eq = skipSpace(text, nameEnd);
    if (text.charCodeAt(eq) !== EQUALS) return -1;
    const open = skipSpace(text, eq + 1);
    const quote = text.charCodeAt(open);
    if (quote !== DQUOTE && quote !== SQUOTE) return -1;
    const close = text.indexOf(quote === DQUOTE ? '"' : "'", open + 1);
    if (close === -1) return -1;
    const value = decodeAttribute(text.slice(open + 1, close));
    if (value === undefined) return -1;
    out.push(text.slice(afterSpace, nameEnd), value);
    p = close + 1;
  }
}

/** `xmlns` / `xmlns:p` declarations of one tag (Namespaces in XML §3); null when saxes must judge. */
function namespaceBindings(raw: string[]): Record<string, string> | undefined | null {
  let bindings: Record<string, string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    let prefix: string;
    if (name === 'xmlns') prefix = '';
    else if (name.startsWith('xmlns:')) prefix = name.slice(6);
    else continue;
    // saxes trims namespace names; so must we, to report the same one.
    const uri = (raw[i + 1] as string).trim();
    if (prefix === 'xml' || prefix === 'xmlns' || uri === XML_NAMESPACE || uri === XMLNS_NAMESPACE)
      return null;
    if (prefix !== '' && uri === '') return null;
    bindings ??= Object.create(null) as Record<string, string>;
    bindings[prefix] = uri;
  }
  return bindings;
}

/**
 * The end of the ASCII QName (Namespaces in XML §4) starting at `from`, or -1. Names outside ASCII
 * are legal XML but rare on the wire; saxes checks them against the full XML name tables.
 */
function scanName(text: string, from: number): number {
  let p = from;
  let partStart = from;
  let colons = 0;
  for (; ; p++) {
    const c = text.charCodeAt(p);
    const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
    if (letter) continue;
    const other = (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
    if (other && p > partStart) continue;
    if (other) return -1;
    if (c !== 0x3a) break;
    if (p === partStart || colons > 0) return -1;
    colons += 1;
    partStart = p + 1;
  }
  return p > partStart ? p : -1;
}

function skipSpace(text: string, from: number): number {
  let p = from;
  for (;;) {
    const c = text.charCodeAt(p);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return p;
    p += 1;
  }
}

/** Character data: no forbidden characters, no `]]>` (XML 1.0 §2.4), line ends and references resolved. */
function decodeText(raw: string): string | undefined {
  if (FORBIDDEN_CHAR.test(raw) || raw.includes(']]>')) return undefined;
  const s = raw.includes('\r') ? raw.replace(LINE_END, '\n') : raw;
  return s.includes('&') ? decodeReferences(s) : s;
}

/** An attribute value: no forbidden characters, no `<` (XML 1.0 §3.1), normalised (§3.3.3). */
function decodeAttribute(raw: string): string | undefined {
  if (!SPECIAL.test(raw)) return raw;
  if (FORBIDDEN_CHAR.test(raw) || raw.includes('<')) return undefined;
  const s = raw.replace(ATTR_WHITESPACE, ' ');
  return s.includes('&') ? decodeReferences(s) : s;
}

/** Replaces the predefined entities and character references (XML 1.0 §4.1, §4.6). */
function decodeReferences(s: string): string | undefined {
  let out = '';
  let from = 0;
  for (let amp = s.indexOf('&'); amp !== -1; amp = s.indexOf('&', from)) {
    const semi = s.indexOf(';', amp + 1);
    if (semi === -1) return undefined;
    const value = referenceValue(s.slice(amp + 1, semi));
    if (value === undefined) return undefined;
    out += s.slice(from, amp) + value;
    from = semi + 1;
  }
  return out + s.slice(from);
}

const HEX_REF = /^#x[0-9A-Fa-f]+$/;
const DEC_REF = /^#[0-9]+$/;

function referenceValue(name: string): string | undefined {
  switch (name) {
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'amp':
      return '&';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
  }
  let code: number;
  if (HEX_REF.test(name)) code = Number.parseInt(name.slice(2), 16);
  else if (DEC_REF.test(name)) code = Number.parseInt(name.slice(1), 10);
  else return undefined;
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

/** XML 1.0 §2.2 Char. */
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/** Builds the tree of a plain document, or returns undefined to let saxes decide. */
export function fastXmlTree(text: string, limits: TreeLimits): TreeResult | undefined {
  let pos = 0;
  if (text.startsWith('<?xml')) {
    XML_DECL.lastIndex = 0;
    if (!XML_DECL.test(text)) return undefined;
    pos = XML_DECL.lastIndex;
  }
  const scan = new Scan(text, limits);
  for (;;) {
    const lt = text.indexOf('<', pos);
    const end = lt === -1 ? text.length : lt;
    if (end > pos && !scan.addText(pos, end)) return undefined;
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === BANG || next === QUESTION) return undefined;
    pos = next === SLASH ? scan.closeTag(lt) : scan.openTag(lt);
    if (pos < 0) return undefined;
  }
  if (scan.root === undefined || scan.stack.length > 0) return undefined;
  return { ok: true, root: scan.root, namespace: scan.namespace };
}
