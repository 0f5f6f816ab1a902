/**
 * How a typed message lays out as XML: for each property, the element path and the kind of value.
 * One declarative table (`services.ts`, `events.ts`) drives both the decoder and the encoder, and
 * the types below make the compiler check that every property of every message has an entry whose
 * kind fits the property's type, and that the standard's mandatory fields are marked `required`.
 */
import type { ConnectionRef, CstaEvent, CstaMessage, CstaMessageType, DeviceRef } from '../messages.js';

/** Element local names from the message's root element down to the value (`[]`: the root itself). */
export type Path = readonly string[];

interface At {
  path: Path;
  /** Other local names the last step may have on the wire (decode only; the encoder uses `path`). */
  also?: readonly string[];
}

/** Text, trimmed of XML white space; `<a><b>x</b></a>` reads as `x` (vendors wrap values). */
export interface TextField extends At {
  kind: 'text';
}
/** Text limited to some values; anything else reads as absent. */
export interface EnumField<V extends string> extends At {
  kind: 'enum';
  values: readonly V[];
}
/** A non-negative integer in decimal; anything else reads as absent. */
export interface IntField extends At {
  kind: 'int';
}
/** XML Schema boolean (`true`/`false`/`1`/`0`). */
export interface BoolField extends At {
  kind: 'bool';
}
/** Repeated `item` children of the element at `path`; absent reads as `[]`. */
export interface ListField extends At {
  kind: 'list';
  item: string;
}
/**
 * The text of the one child of a choice element (`<errorCode><definedError>x</definedError>`),
 * or its own text. The encoder wraps the value in `wrap`, or in the element named by the message's
 * `wrapKey` property when that is set.
 */
export interface ChoiceTextField extends At {
  kind: 'choiceText';
  wrap: string;
  wrapKey?: string;
  /** Written when the message has no value: the standard makes the element mandatory. */
  orElse?: string;
}
/** The local name of the one child of a choice element (`operation` in `<CSTAErrorCode><operation>…`). */
export interface ChoiceNameField extends At {
  kind: 'choiceName';
}
/** ECMA-269 §12.2.19 device: `<deviceIdentifier>`, a choice element, or (some vendors) plain text. */
export interface DeviceField extends At {
  kind: 'device';
  /** Encode the identifier as the element's own text (ECMA-323 DeviceID rather than …DeviceID choice). */
  plain?: boolean;
}
/** ECMA-269 §12.2.11 ConnectionID: `<callID>` and `<deviceID>`. */
export interface ConnectionField extends At {
  kind: 'connection';
}
/** ECMA-269 §12.2.12 ConnectionList: `<connectionListItem>`s of new and old connections. */
export interface ConnectionListField extends At {
  kind: 'connectionList';
}
/** The message type has no such parameter: never read, never written. */
export interface NoField {
  kind: 'none';
}

export type Field =
  | TextField
  | EnumField<string>
  | IntField
  | BoolField
  | ListField
  | ChoiceTextField
  | ChoiceNameField
  | DeviceField
  | ConnectionField
  | ConnectionListField
  | NoField;

type ConnectionListItem = NonNullable<CstaEvent['connectionList']>[number];

/** The field kinds that can carry a value of type V. */
type FieldFor<V> = [V] extends [string[]]
  ? ListField
  : [V] extends [string]
    ? string extends V
      ? TextField | ChoiceTextField | ChoiceNameField
      : EnumField<V>
    : [V] extends [number]
      ? IntField
      : [V] extends [boolean]
        ? BoolField
        : [V] extends [DeviceRef]
          ? DeviceField
          : [V] extends [ConnectionRef]
            ? ConnectionField
            : [V] extends [ConnectionListItem[]]
              ? ConnectionListField
              : never;

type IsOptional<M, K extends keyof M> = object extends Pick<M, K> ? true : false;

/** One entry per property of M except `Skip`; mandatory properties must say `required: true`. */
export type FieldsOf<M, Skip extends keyof M> = {
  [K in Exclude<keyof M, Skip>]-?: IsOptional<M, K> extends true
    ? (FieldFor<NonNullable<M[K]>> | NoField) & { required?: false }
    : FieldFor<M[K]> & { required: true };
};

export type MessageOf<T extends CstaMessageType> = Extract<CstaMessage, { type: T }>;

/** Messages described field by field (everything but events, which `events.ts` handles, and Unknown). */
export type ServiceType = Exclude<CstaMessageType, 'Event' | 'Unknown'>;

export interface ServiceSchema<T extends ServiceType> {
  /** Root element local name. */
  root: string;
  /** ECMA-354 application session messages live in their own namespace. */
  session?: true;
  fields: FieldsOf<MessageOf<T>, 'type'>;
}

export type EventFields = FieldsOf<CstaEvent, 'name'>;

/** The fields as the generic reader and writer see them. */
export function fieldEntries(
  fields: object,
): ReadonlyArray<readonly [string, Field & { required?: boolean }]> {
  return Object.entries(fields) as Array<[string, Field & { required?: boolean }]>;
}
