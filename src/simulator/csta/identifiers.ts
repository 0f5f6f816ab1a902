/**
 * How the simulated switch writes device identifiers (an ECMA-269 DeviceID is a free string; each
 * vendor has its habits) and the identifier choices of ECMA-269 (CallingDeviceID,
 * CalledDeviceID, SubjectDeviceID, RedirectionDeviceID…: an identifier, or `notKnown`,
 * `restricted`, `notRequired`).
 *
 * Styles apply to external (public) numbers; the switch's own devices (extensions, ACD groups,
 * route points, trunks) are sent as configured.
 *   plain  0612345678                              national form, 00-prefixed international
 *   e164   +33612345678
 *   unify  N<+33612345678>;displayNumber=Name      OpenScape style
 */

export type IdentifierStyle = 'plain' | 'e164' | 'unify';

/** A device as ECMA-323 carries it in the identifier choices. */
export type DeviceValue =
  | { kind: 'id'; id: string }
  | { kind: 'notKnown' }
  | { kind: 'restricted' }
  | { kind: 'notRequired' };

/** Presentation of the caller's number (the ECMA-269 CallingDeviceID choices). */
export type Presentation = 'allowed' | 'restricted' | 'notKnown';

export const NOT_REQUIRED: DeviceValue = { kind: 'notRequired' };

export function deviceId(id: string): DeviceValue {
  return { kind: 'id', id };
}

export interface NumberingOptions {
  style: IdentifierStyle;
  /** Country calling code of the switch, digits only (33 for France). */
  countryCode: string;
  /** National trunk prefix (0 in most of Europe). */
  nationalPrefix: string;
  /** International call prefix (00 in most of Europe). */
  internationalPrefix: string;
}

export class DeviceNaming {
  constructor(private readonly opts: NumberingOptions) {}

  get style(): IdentifierStyle {
    return this.opts.style;
  }

  /** An external number as the switch sends it; `name` only shows in the unify style. */
  external(number: string, name?: string): string {
    const e164 = this.toE164(number);
    switch (this.opts.style) {
      case 'plain':
        return e164 === undefined ? number : this.toPlain(e164);
      case 'e164':
        return e164 ?? number;
      case 'unify':
        return `N<${e164 ?? number}>${name ? `;displayNumber=${name}` : ''}`;
    }
  }

  /** The caller as a CallingDeviceID choice. */
  caller(number: string | undefined, presentation: Presentation, name?: string): DeviceValue {
    if (presentation === 'restricted') return { kind: 'restricted' };
    if (presentation === 'notKnown' || number === undefined || number === '') return { kind: 'notKnown' };
    return deviceId(this.external(number, name));
  }

  /**
   * The bare number in an identifier received from a client (`N<+33…>;displayNumber=X` → `+33…`),
   * so that a request naming a device in any style finds it.
   */
  bare(identifier: string): string {
    const m = /^N<([^>]*)>/.exec(identifier.trim());
    return (m?.[1] ?? identifier.split(';')[0] ?? identifier).trim();
  }

  /** E.164 form of a public number, or undefined for a short (internal) number. */
  private toE164(number: string): string | undefined {
    const n = number.replace(/[\s().-]/g, '');
    if (/^\+[1-9][0-9]{4,14}$/.test(n)) return n;
    const { internationalPrefix: intl, nationalPrefix: nat, countryCode } = this.opts;
    if (intl && n.startsWith(intl) && /^[0-9]+$/.test(n)) return `+${n.slice(intl.length)}`;
    if (nat && n.startsWith(nat) && /^[0-9]{8,}$/.test(n)) return `+${countryCode}${n.slice(nat.length)}`;
    return undefined;
  }

  private toPlain(e164: string): string {
    const { countryCode, nationalPrefix, internationalPrefix } = this.opts;
    if (e164.startsWith(`+${countryCode}`)) return `${nationalPrefix}${e164.slice(1 + countryCode.length)}`;
    return `${internationalPrefix}${e164.slice(1)}`;
  }
}
