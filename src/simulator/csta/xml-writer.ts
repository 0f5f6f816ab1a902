/**
 * A minimal XML writer for the simulator's templates: every text and attribute value goes through
 * an escaping function, so a device identifier such as `N<+33612345678>;displayNumber=A&B` reaches
 * the wire as `N&lt;+33612345678&gt;;displayNumber=A&amp;B` (XML 1.0 §2.4).
 */

/** A fragment of already-escaped XML. Branded so that raw strings cannot be passed by mistake. */
export type Xml = string & { readonly __xml: unique symbol };

/** Characters XML 1.0 §2.2 forbids even when escaped (C0 controls but tab, LF, CR). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to strip.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeText(value: string): string {
  return value.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Trusted markup (templates' own constants). */
export function raw(markup: string): Xml {
  return markup as Xml;
}

type Child = Xml | undefined | false | null;

/** `<name>children…</name>`; absent children (undefined, false, null) are skipped. */
export function el(name: string, ...children: Child[]): Xml {
  const body = children.filter((c): c is Xml => typeof c === 'string').join('');
  return raw(`<${name}>${body}</${name}>`);
}

/** `<name>text</name>`, or nothing when the value is absent (an optional field). */
export function leaf(name: string, value: string | number | boolean | undefined): Xml | undefined {
  if (value === undefined) return undefined;
  return raw(`<${name}>${escapeText(String(value))}</${name}>`);
}

/** `<name/>` (ECMA-323 NULL choices such as `<restricted/>`). */
export function empty(name: string): Xml {
  return raw(`<${name}/>`);
}

/**
 * A whole document: XML declaration, then the root element with its default namespace (omitted
 * when `namespace` is undefined: some switches send namespace-less documents).
 */
export function xmlDocument(root: string, namespace: string | undefined, ...children: Child[]): string {
  const ns = namespace === undefined ? '' : ` xmlns="${escapeAttr(namespace)}"`;
  const body = children.filter((c): c is Xml => typeof c === 'string').join('');
  return `<?xml version="1.0" encoding="UTF-8"?><${root}${ns}>${body}</${root}>`;
}
