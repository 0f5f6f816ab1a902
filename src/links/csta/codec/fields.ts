/**
 * The generic half of the codec: reads a value of each field kind out of an element tree, and
 * writes it back as XML. The per-message layout lives in `services.ts` and `events.ts`.
 */
import type { ConnectionRef, DeviceChoice, DeviceRef } from '../messages.js';
import type { Field, Path } from './schema.js';
import { escapeAttribute, escapeText, isSafeElementName, trimXml } from './xml-text.js';
import type { XmlElement } from './xml-tree.js';

/** ECMA-269 §12.2.19: the DeviceID choices that carry no identifier; ECMA-323 writes them as empty elements. */
const DEVICE_CHOICES: ReadonlySet<string> = new Set<DeviceChoice>([
  'notKnown',
  'restricted',
  'notRequired',
  'notSpecified',
]);
/** `deviceIdentifier`, and `numberDialed` in RedirectionDeviceID (ECMA-269 §12.2.19). */
const DEVICE_IDENTIFIERS: ReadonlySet<string> = new Set(['deviceIdentifier', 'numberDialed', 'numberdialed']);
/**
 * Vendor extensions (CSTACommonArguments `extensions`) are never the value of a choice. (Not
 * `privateData`: that is also an ECMA-269 error category.)
 */
const EXTENSIONS: ReadonlySet<string> = new Set(['extensions']);

export function childNamed(el: XmlElement, name: string, also?: readonly string[]): XmlElement | undefined {
  for (const child of el.children) {
    if (child.name === name) return child;
  }
  if (also === undefined) return undefined;
  for (const child of el.children) {
    if (also.includes(child.name)) return child;
  }
  return undefined;
}

/** The element at `path` below `root`, or undefined when a step is missing. */
export function elementAt(root: XmlElement, path: Path, also?: readonly string[]): XmlElement | undefined {
  let el: XmlElement | undefined = root;
  for (let i = 0; i < path.length && el !== undefined; i++) {
    el = childNamed(el, path[i] as string, i === path.length - 1 ? also : undefined);
  }
  return el;
}

function choiceOf(el: XmlElement): XmlElement | undefined {
  for (const child of el.children) {
    if (!EXTENSIONS.has(child.name)) return child;
  }
  return undefined;
}

/** An element's value: its own text, or (when it has none) the value of its first child. */
export function textValue(el: XmlElement): string {
  const own = trimXml(el.text);
  if (own !== '') return own;
  const child = choiceOf(el);
  return child === undefined ? '' : textValue(child);
}

function withTypeOfNumber(id: string, attrs: Record<string, string> | undefined): DeviceRef {
  const typeOfNumber = attrs?.typeOfNumber;
  return typeOfNumber === undefined ? { id } : { id, typeOfNumber };
}

export function readDevice(el: XmlElement): DeviceRef | undefined {
  for (const child of el.children) {
    if (DEVICE_IDENTIFIERS.has(child.name)) return withTypeOfNumber(textValue(child), child.attrs);
    if (DEVICE_CHOICES.has(child.name)) return { choice: child.name as DeviceChoice };
  }
  const own = trimXml(el.text);
  return own === '' ? undefined : withTypeOfNumber(own, el.attrs);
}

export function readConnection(el: XmlElement): ConnectionRef {
  const conn: ConnectionRef = {};
  const callId = childNamed(el, 'callID');
  if (callId !== undefined) conn.callId = textValue(callId);
  const deviceId = childNamed(el, 'deviceID');
  if (deviceId !== undefined) conn.deviceId = textValue(deviceId);
  return conn;
}

type ConnectionListItem = { newConnection?: ConnectionRef; oldConnection?: ConnectionRef };

function readConnectionList(el: XmlElement): ConnectionListItem[] {
  const items: ConnectionListItem[] = [];
  for (const child of el.children) {
    if (child.name !== 'connectionListItem') continue;
    const item: ConnectionListItem = {};
    const newConnection = childNamed(child, 'newConnection');
    if (newConnection !== undefined) item.newConnection = readConnection(newConnection);
    const oldConnection = childNamed(child, 'oldConnection');
    if (oldConnection !== undefined) item.oldConnection = readConnection(oldConnection);
    items.push(item);
  }
  return items;
}

const UNSIGNED = /^[0-9]{1,16}$/;

function readInt(el: XmlElement): number | undefined {
  const s = textValue(el);
  if (!UNSIGNED.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** XML Schema Part 2 §3.2.2 boolean. */
function readBool(el: XmlElement): boolean | undefined {
  const s = textValue(el);
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}

/** The value of a field whose element is `el` (undefined: absent, or the message does not carry it). */
export function readValue(el: XmlElement | undefined, field: Field): unknown {
  if (field.kind === 'none') return undefined;
  if (el === undefined) return field.kind === 'list' ? [] : undefined;
  switch (field.kind) {
    case 'text':
      return textValue(el);
    case 'enum': {
      const s = textValue(el);
      return field.values.includes(s) ? s : undefined;
    }
    case 'int':
      return readInt(el);
    case 'bool':
      return readBool(el);
    case 'list':
      return el.children.filter((c) => c.name === field.item).map(textValue);
    case 'choiceText':
      return textValue(el);
    case 'choiceName':
      return choiceOf(el)?.name;
    case 'device':
      return readDevice(el);
    case 'connection':
      return readConnection(el);
    case 'connectionList':
      return readConnectionList(el);
  }
}

export function element(name: string, content: string): string {
  return content === '' ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

/** Wraps `content` in the elements of `path`, outermost first. */
function wrapPath(path: Path, content: string): string {
  let xml = content;
  for (let i = path.length - 1; i >= 0; i--) xml = element(path[i] as string, xml);
  return xml;
}

function writeDevice(ref: DeviceRef, name: string, plain: boolean): string {
  if (ref.choice !== undefined) return element(name, `<${ref.choice}/>`);
  const tonAttr =
    ref.typeOfNumber === undefined ? '' : ` typeOfNumber="${escapeAttribute(ref.typeOfNumber)}"`;
  // An empty identifier as plain text would read back as no device at all.
  if (plain && ref.id !== '') return `<${name}${tonAttr}>${escapeText(ref.id)}</${name}>`;
  return element(name, `<deviceIdentifier${tonAttr}>${escapeText(ref.id)}</deviceIdentifier>`);
}

export function writeConnection(conn: ConnectionRef): string {
  let xml = '';
  if (conn.callId !== undefined) xml += `<callID>${escapeText(conn.callId)}</callID>`;
  if (conn.deviceId !== undefined) xml += `<deviceID>${escapeText(conn.deviceId)}</deviceID>`;
  return xml;
}

function writeConnectionList(items: readonly ConnectionListItem[]): string {
  let xml = '';
  for (const item of items) {
    let inner = '';
    if (item.newConnection !== undefined)
      inner += element('newConnection', writeConnection(item.newConnection));
    if (item.oldConnection !== undefined)
      inner += element('oldConnection', writeConnection(item.oldConnection));
    xml += element('connectionListItem', inner);
  }
  return xml;
}

function wrapperName(field: Field & { kind: 'choiceText' }, msg: Readonly<Record<string, unknown>>): string {
  const chosen = field.wrapKey === undefined ? undefined : msg[field.wrapKey];
  return typeof chosen === 'string' && isSafeElementName(chosen) ? chosen : field.wrap;
}

/** The XML of one field of `msg` (`''` when absent). */
export function writeField(field: Field, given: unknown, msg: Readonly<Record<string, unknown>>): string {
  const value = given === undefined && field.kind === 'choiceText' ? field.orElse : given;
  if (value === undefined || field.kind === 'none' || field.kind === 'choiceName') return '';
  const last = field.path[field.path.length - 1];
  switch (field.kind) {
    case 'text':
    case 'enum':
      return wrapPath(field.path, escapeText(String(value)));
    case 'int':
    case 'bool':
      return wrapPath(field.path, String(value));
    case 'list':
      return wrapPath(
        field.path,
        (value as string[]).map((v) => element(field.item, escapeText(v))).join(''),
      );
    case 'choiceText':
      return wrapPath(field.path, element(wrapperName(field, msg), escapeText(String(value))));
    case 'device':
      return last === undefined
        ? ''
        : wrapPath(field.path.slice(0, -1), writeDevice(value as DeviceRef, last, field.plain === true));
    case 'connection':
      return wrapPath(field.path, writeConnection(value as ConnectionRef));
    case 'connectionList':
      return wrapPath(field.path, writeConnectionList(value as ConnectionListItem[]));
  }
}
