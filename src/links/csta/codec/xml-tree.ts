/**
 * Document text → a small element tree, with limits: a depth cap, an element cap, no DOCTYPE,
 * and a result instead of an exception.
 *
 * saxes is the authority on XML 1.0 + namespaces well-formedness (it never expands external
 * entities and never converts text). Alone it builds trees at about the budget of the whole event
 * path (50,000 events/s per core), so a strict fast scanner (`xml-fast.ts`) handles the plain
 * documents switches send, twice as fast, and hands everything else (comments, CDATA, DOCTYPE, odd
 * names, any error at all) to saxes. A differential fuzz test checks that both build the same tree.
 */
import { fastXmlTree } from './xml-fast.js';
import { saxesXmlTree } from './xml-saxes.js';

export interface XmlElement {
  /** Local name: `csta:DeliveredEvent` and `DeliveredEvent` in any namespace are both `DeliveredEvent`. */
  readonly name: string;
  /** Attributes by local name, namespace declarations left out; undefined when there are none. */
  readonly attrs: Record<string, string> | undefined;
  /**
   * Character data directly inside the element (text and CDATA), untrimmed; runs of pure white
   * space between child elements are left out (indentation, never data in CSTA).
   */
  text: string;
  readonly children: XmlElement[];
}

export type TreeErrorCode = 'malformed-xml' | 'empty' | 'too-large';

export type TreeResult =
  | { ok: true; root: XmlElement; namespace: string | undefined }
  | { ok: false; code: TreeErrorCode; message: string };

export interface TreeLimits {
  maxDepth: number;
  maxElements: number;
}

/** Parses one document. Never throws. */
export function parseXmlTree(text: string, limits: TreeLimits): TreeResult {
  return fastXmlTree(text, limits) ?? saxesXmlTree(text, limits);
}
