/**
 * Reads a message's fields out of its element tree. A field table is compiled once into a lookup
 * by element name, so a document is walked in one pass over the root's children whatever the
 * number of fields (events have twenty).
 */
import { elementAt, readValue } from './fields.js';
import type { Field } from './schema.js';
import type { XmlElement } from './xml-tree.js';

type Entry = { key: string; field: Field & { required?: boolean } };

export type ReadResult = { ok: true; values: Record<string, unknown> } | { ok: false; missing: string };

export interface FieldReader {
  read(root: XmlElement, into: Record<string, unknown>): ReadResult;
}

/** Where a field's first path step may match, and whether by its main name. */
type Slot = { index: number; main: boolean };

export function compileReader(fields: object): FieldReader {
  const entries: Entry[] = Object.entries(fields).map(([key, field]) => ({ key, field }));
  const byName = new Map<string, Slot[]>();
  const atRoot: number[] = [];
  entries.forEach(({ field }, index) => {
    if (field.kind === 'none') return;
    if (field.path.length === 0) {
      atRoot.push(index);
      return;
    }
    const names: Array<[string, boolean]> = [[field.path[0] as string, true]];
    if (field.path.length === 1) for (const alt of field.also ?? []) names.push([alt, false]);
    for (const [name, main] of names) {
      const slots = byName.get(name) ?? [];
      slots.push({ index, main });
      byName.set(name, slots);
    }
  });
  return { read: (root, into) => readInto(root, into, entries, byName, atRoot) };
}

function readInto(
  root: XmlElement,
  into: Record<string, unknown>,
  entries: readonly Entry[],
  byName: ReadonlyMap<string, Slot[]>,
  atRoot: readonly number[],
): ReadResult {
  const found: Array<XmlElement | undefined> = new Array(entries.length);
  const byAlias: boolean[] = new Array(entries.length);
  for (const index of atRoot) found[index] = root;
  for (const child of root.children) {
    const slots = byName.get(child.name);
    if (slots === undefined) continue;
    for (const { index, main } of slots) {
      // The first element of the main name wins; an alias only when no main-name element exists.
      if (found[index] === undefined || (main && byAlias[index] === true)) {
        found[index] = child;
        byAlias[index] = !main;
      }
    }
  }
  for (let i = 0; i < entries.length; i++) {
    const { key, field } = entries[i] as Entry;
    if (field.kind === 'none') continue;
    const first = found[i];
    const el =
      first === undefined || field.path.length < 2
        ? first
        : elementAt(first, field.path.slice(1), field.also);
    const value = readValue(el, field);
    if (value !== undefined) into[key] = value;
    else if (field.required === true) return { ok: false, missing: field.path.join('/') || key };
  }
  return { ok: true, values: into };
}
