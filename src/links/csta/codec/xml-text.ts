/** Text helpers shared by the reader and the writer: XML escaping, XML white space, XML names. */

/** Characters XML 1.0 §2.2 does not allow at all: they are dropped on output. */
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Anything that needs work in text or attribute values; most values have none. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: controls must be stripped, so they must be found
const NEEDS_WORK = /[&<>"'\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const TEXT_SPECIALS = /[&<>"'\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"'\t\n\r]/g;

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // XML 1.0 §2.11 turns a literal CR into LF and §3.3.3 turns TAB/LF in attributes into spaces:
  // character references keep them.
  '\r': '&#13;',
  '\t': '&#9;',
  '\n': '&#10;',
};

function entityOf(c: string): string {
  return ENTITY[c] ?? c;
}

/** Character data: `&<>"'` escaped, CR kept as a reference, characters XML cannot carry dropped. */
export function escapeText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s.replace(NOT_XML_CHAR, '').replace(TEXT_SPECIALS, entityOf);
}

/** An attribute value for `name="…"`: as escapeText, and TAB/LF/CR as references. */
export function escapeAttribute(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s.replace(NOT_XML_CHAR, '').replace(ATTRIBUTE_SPECIALS, entityOf);
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Trims XML white space (space, TAB, LF, CR) only: a no-break space in a name is data. */
export function trimXml(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isXmlSpace(s.charCodeAt(start))) start += 1;
  while (end > start && isXmlSpace(s.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** A run of character data holding only XML white space (XML 1.0 §2.3 S). */
export function isBlankText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (!isXmlSpace(text.charCodeAt(i))) return false;
  }
  return true;
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/** An element name the writer may emit as is (ASCII NCName, Namespaces in XML §3). */
export function isSafeElementName(s: string): boolean {
  return NCNAME.test(s);
}
