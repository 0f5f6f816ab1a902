/**
 * A telephone number as Relais understands it once it has crossed the edge of the core.
 * Links hand over raw strings; `numbers/` turns them into one of these kinds, never throwing.
 */

/** Number types as libphonenumber classifies them (ITU-T E.164 numbering plans), in snake case. */
export type PhoneNumberType =
  | 'mobile'
  | 'fixed_line'
  | 'fixed_line_or_mobile'
  | 'toll_free'
  | 'premium_rate'
  | 'shared_cost'
  | 'voip'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

export type NormalisedNumber =
  /** A public number in E.164 form (`+33612345678`). */
  | {
      kind: 'e164';
      e164: string;
      /** ISO 3166-1 alpha-2 country, when the numbering plan tells it. */
      country: string | undefined;
      type: PhoneNumberType;
      /** Configured region of the number (e.g. `Île-de-France`), for routing and surge detection. */
      region: string | undefined;
      raw: string;
    }
  /** A short internal number of the PBX; never turned into E.164. */
  | { kind: 'extension'; extension: string; raw: string }
  /** The caller asked for their number to be hidden (CLIR, `anonymous`, `restricted`, `Privacy: id`). */
  | { kind: 'withheld'; raw: string }
  /** The network did not deliver a number (`unavailable`, empty, CSTA `notKnown`). */
  | { kind: 'unavailable'; raw: string }
  /** Something arrived that is not a usable number. Never an exception on the hot path. */
  | { kind: 'unknown'; raw: string; reason: string };

export type NumberKind = NormalisedNumber['kind'];

/** The number as dialled inside Relais: the E.164 or the extension; undefined for the other kinds. */
export function dialString(n: NormalisedNumber): string | undefined {
  if (n.kind === 'e164') return n.e164;
  if (n.kind === 'extension') return n.extension;
  return undefined;
}
