/**
 * The saxes path of `xml-tree.ts`: every document the fast scanner declines, and the error
 * messages. One parser is reused for every document (decoding is synchronous, so no two documents
 * interleave): building one costs about as much as parsing a typical event.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { isBlankText } from './xml-text.js';
import type { TreeErrorCode, TreeLimits, TreeResult, XmlElement } from './xml-tree.js';

/** Thrown from inside saxes handlers to stop at the first problem; never escapes this module. */
class Abort {
  constructor(
    readonly code: TreeErrorCode,
    readonly message: string,
  ) {}
}

/** The state of the document being parsed. */
class TreeBuilder {
  stack: XmlElement[] = [];
  root: XmlElement | undefined;
  namespace: string | undefined;
  count = 0;
  limits: TreeLimits = { maxDepth: 0, maxElements: 0 };

  reset(limits: TreeLimits): void {
    this.stack = [];
    this.root = undefined;
    this.namespace = undefined;
    this.count = 0;
    this.limits = limits;
  }

  open(tag: SaxesTagNS): void {
    this.count += 1;
    if (this.count > this.limits.maxElements) {
      throw new Abort('too-large', `more than ${this.limits.maxElements} elements`);
    }
    if (this.stack.length >= this.limits.maxDepth) {
      throw new Abort('too-large', `elements nested deeper than ${this.limits.maxDepth}`);
    }
    const el: XmlElement = { name: tag.local, attrs: attributesOf(tag), text: '', children: [] };
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      this.root = el;
      this.namespace = tag.uri === '' ? undefined : tag.uri;
    } else {
      parent.children.push(el);
    }
    this.stack.push(el);
  }

  close(): void {
    this.stack.pop();
  }

  addText(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && !isBlankText(text)) top.text += text;
  }
}

function attributesOf(tag: SaxesTagNS): Record<string, string> | undefined {
  let attrs: Record<string, string> | undefined;
  for (const key in tag.attributes) {
    const attr = tag.attributes[key];
    if (attr === undefined || attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
    attrs ??= Object.create(null) as Record<string, string>;
    attrs[attr.local] = attr.value;
  }
  return attrs;
}

const builder = new TreeBuilder();
const parser = createParser(builder);

function createParser(b: TreeBuilder): SaxesParser<{ xmlns: true; position: true }> {
  const p = new SaxesParser({ xmlns: true, position: true });
  p.on('opentag', (tag) => b.open(tag));
  p.on('closetag', () => b.close());
  p.on('text', (text) => b.addText(text));
  p.on('cdata', (text) => b.addText(text));
  // A DTD is how entity bombs and external entities get in; CSTA documents never carry one.
  p.on('doctype', () => {
    throw new Abort('malformed-xml', 'DOCTYPE is not allowed');
  });
  p.on('error', (err) => {
    throw new Abort('malformed-xml', err.message);
  });
  return p;
}

/** saxes 6 lets a high surrogate without its low half through (it reads the next character as one). */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Parses one document with saxes. Never throws. */
export function saxesXmlTree(text: string, limits: TreeLimits): TreeResult {
  // Only a string from a JavaScript caller can hold one: decoded bytes never do.
  if (UNPAIRED_SURROGATE.test(text)) {
    return { ok: false, code: 'malformed-xml', message: 'unpaired surrogate (not an XML character)' };
  }
  builder.reset(limits);
  try {
    parser.write(text).close();
  } catch (e) {
    // The parser stopped mid-document: start the next one from a clean state.
    parser._init();
    builder.reset(limits);
    if (e instanceof Abort) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'malformed-xml', message: e instanceof Error ? e.message : String(e) };
  }
  const { root, namespace } = builder;
  builder.reset(limits);
  if (root === undefined) return { ok: false, code: 'malformed-xml', message: 'no root element' };
  return { ok: true, root, namespace };
}
