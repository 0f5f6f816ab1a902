/**
 * ECMA-323 device identifiers → what the rest of Relais needs: the raw number for the normaliser,
 * a display name when the switch sends one, and a stable key for matching monitored devices.
 *
 * Switches write more than digits in `deviceIdentifier`: Unify (OpenScape, HiPath) sends
 * `N<+4930123456>;displayNumber=Hans;noa=…`, some put `;param=value` lists after a plain number, a
 * SIP gateway may pass a name-addr (`"Hans" <sip:+49…@sbc>`). The normaliser (`src/numbers`) does
 * the number itself; this module only finds it.
 */
import type { DeviceRef } from '../messages.js';

interface Parts {
  /** The number or URI, trimmed, without parameters. */
  number: string;
  /** `;key=value` parameters after it. */
  params: string;
  /** A quoted display name before `<…>` (SIP name-addr, RFC 3261 §25.1). */
  quotedName: string | undefined;
}

/** `N<…>`: a short tag before the angle brackets (Unify writes N for a number). */
const ANGLE_TAG = /^[A-Za-z]{0,3}$/;
const QUOTED = /^"((?:[^"\\]|\\.)*)"$/;

function partsOf(id: string): Parts {
  const s = id.trim();
  const lt = s.indexOf('<');
  const semi = s.indexOf(';');
  const gt = lt === -1 ? -1 : s.indexOf('>', lt + 1);
  if (lt !== -1 && gt !== -1 && (semi === -1 || lt < semi)) {
    const before = s.slice(0, lt).trim();
    const quoted = QUOTED.exec(before);
    if (ANGLE_TAG.test(before) || quoted !== null) {
      return {
        number: s.slice(lt + 1, gt).trim(),
        params: s.slice(gt + 1),
        quotedName: quoted?.[1] === undefined ? undefined : unescapeQuoted(quoted[1]),
      };
    }
  }
  if (semi === -1) return { number: s, params: '', quotedName: undefined };
  return { number: s.slice(0, semi).trim(), params: s.slice(semi), quotedName: undefined };
}

function unescapeQuoted(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** `;a=1;b="x;y"` → entries, keys lower-cased; quoted values may hold `;`. */
function paramsOf(params: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;]*))?/g;
  for (const m of params.matchAll(re)) {
    const key = m[1]?.toLowerCase();
    if (key !== undefined && !out.has(key)) out.set(key, m[2] ?? '');
  }
  return out;
}

/** A parameter value as a person would read it: unquoted, percent-decoded, trimmed. */
function readableValue(raw: string): string {
  let v = raw.trim();
  const quoted = QUOTED.exec(v);
  if (quoted?.[1] !== undefined) return unescapeQuoted(quoted[1]).trim();
  if (/%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      v = decodeURIComponent(v);
    } catch {
      // A stray `%` is text, not an encoding.
    }
  }
  const inner = QUOTED.exec(v.trim());
  return (inner?.[1] === undefined ? v : unescapeQuoted(inner[1])).trim();
}

/**
 * The string to hand the number normaliser: the number as sent (`2001`, `0612345678`, `+4930…`,
 * `sip:…`) without Unify's `N<…>` wrapper or trailing parameters; `restricted` for a withheld
 * caller and `unavailable` for the other ECMA-269 §12.2.19 choices, words the normaliser maps to
 * `withheld` and `unavailable`.
 */
export function rawNumberOf(ref: DeviceRef | undefined): string | undefined {
  if (ref === undefined) return undefined;
  if (ref.choice !== undefined) return ref.choice === 'restricted' ? 'restricted' : 'unavailable';
  return partsOf(ref.id).number;
}

/** The caller's name the switch put in the identifier (`displayName=`, a name-addr, `displayNumber=`). */
export function displayNameOf(ref: DeviceRef | undefined): string | undefined {
  if (ref?.id === undefined) return undefined;
  const parts = partsOf(ref.id);
  const params = paramsOf(parts.params);
  for (const candidate of [params.get('displayname'), parts.quotedName, params.get('displaynumber')]) {
    if (candidate === undefined) continue;
    const name = readableValue(candidate);
    if (name !== '') return name;
  }
  return undefined;
}

/**
 * A stable name for a device, to match events against monitored devices whatever decoration the
 * switch adds: `N<2001>;displayNumber=x`, `2001;x=y` and `2001` are all `2001`. Choices
 * (`notKnown`, `restricted`…) name no device.
 */
export function deviceKey(ref: { id: string; choice?: undefined; typeOfNumber?: string }): string;
export function deviceKey(ref: DeviceRef): string | undefined;
export function deviceKey(ref: DeviceRef): string | undefined {
  return ref.choice === undefined ? partsOf(ref.id).number : undefined;
}
