/**
 * Bytes → the document's text. UTF-8 is checked strictly (a bad byte is an error, never a silent
 * U+FFFD that would end up in a caller's name); older switches declare ISO-8859-1 or windows-1252
 * in the XML declaration and get that; UTF-16 needs its byte-order mark (XML 1.0 §4.3.3).
 */
import { isUtf8 } from 'node:buffer';
import type { TreeErrorCode } from './xml-tree.js';

export type TextResult = { ok: true; text: string } | { ok: false; code: TreeErrorCode; message: string };

const BLANK = /^[ \t\r\n\0]*$/;
/** `encoding="…"` of an XML declaration (XML 1.0 §4.3.3), read before the bytes are decoded. */
const DECLARED_ENCODING = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
const LATIN1_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1']);
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * The document as a string: UTF-8 (checked strictly: a bad byte is an error, never a silent
 * U+FFFD), ISO-8859-1 / windows-1252 when the XML declaration says so (older switches), or UTF-16
 * with a byte-order mark. A string is taken as is.
 */
export function documentText(input: Buffer | string, maxBytes: number): TextResult {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > maxBytes) return tooLarge(input.length, maxBytes);
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.length > maxBytes) return tooLarge(input.length, maxBytes);
    const decoded = decodeBytes(asBuffer(input));
    if (!decoded.ok) return decoded;
    text = decoded.text;
  } else {
    return { ok: false, code: 'malformed-xml', message: 'input is neither a Buffer nor a string' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (BLANK.test(text)) return { ok: false, code: 'empty', message: 'empty document' };
  return { ok: true, text };
}

/** A plain Uint8Array from a JavaScript caller is viewed as a Buffer, not copied. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function tooLarge(size: number, max: number): TextResult {
  return { ok: false, code: 'too-large', message: `document of ${size} bytes exceeds ${max}` };
}

function decodeBytes(buf: Buffer): TextResult {
  const utf16 = utf16Text(buf);
  if (utf16 !== undefined) return utf16;
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const declared = DECLARED_ENCODING.exec(buf.toString('latin1', bom, Math.min(buf.length, bom + 256)));
  const label = declared?.[1]?.toLowerCase();
  if (label === undefined || UTF8_LABELS.has(label)) {
    if (!isUtf8(buf)) return { ok: false, code: 'malformed-xml', message: 'the document is not valid UTF-8' };
    return { ok: true, text: buf.toString('utf8', bom) };
  }
  if (LATIN1_LABELS.has(label)) return { ok: true, text: buf.toString('latin1') };
  if (label === 'windows-1252' || label === 'cp1252') return decodeWindows1252(buf);
  return { ok: false, code: 'malformed-xml', message: `unsupported encoding ${JSON.stringify(label)}` };
}

/** UTF-16 is recognised by its byte-order mark only (XML 1.0 §4.3.3 requires one). */
function utf16Text(buf: Buffer): TextResult | undefined {
  const le = buf[0] === 0xff && buf[1] === 0xfe;
  const be = buf[0] === 0xfe && buf[1] === 0xff;
  if (!le && !be) return undefined;
  if (buf.length % 2 !== 0) return { ok: false, code: 'malformed-xml', message: 'truncated UTF-16 document' };
  const body = be ? Buffer.from(buf.subarray(2)).swap16() : buf.subarray(2);
  return { ok: true, text: body.toString('utf16le') };
}

/**
 * windows-1252 is ISO-8859-1 except for 0x80–0x9F, where it has printable characters (€, quotes,
 * dashes). Node's TextDecoder decodes that range as ISO-8859-1, so the table is here.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(buf: Buffer): TextResult {
  const text = buf
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
  return { ok: true, text };
}
