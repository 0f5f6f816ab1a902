/**
 * The shapes of the HTTP API, written once with TypeBox: they validate requests (TypeBox compiler,
 * strict bodies), serialise responses and feed the OpenAPI document at /openapi.json.
 * Times are ISO 8601 strings here; the model keeps epoch milliseconds.
 */
import { FormatRegistry, type Static, Type as T } from '@sinclair/typebox';
import type { NormalisedNumber } from '../model/number.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// TypeBox's compiler refuses formats it does not know: register the two the API uses.
/** A real calendar date and time with a zone (Date.parse alone takes 2026-02-31 for March 3rd). */
export function isIsoDateTime(v: string): boolean {
  if (!ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) return false;
  const [y = 0, m = 0, d = 0] = v.slice(0, 10).split('-').map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isIsoDateTime);
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));

const strict = { additionalProperties: false } as const;
const DateTime = (description: string) =>
  T.String({ format: 'date-time', description: `${description} (ISO 8601 with a time zone).` });

export const ErrorBody = T.Object(
  {
    error: T.Object({
      code: T.String({ description: 'Stable error code (RELAIS_ERR_…), see docs/errors.md.' }),
      message: T.String(),
      fields: T.Optional(T.Array(T.Object({ field: T.String(), message: T.String() }))),
    }),
  },
  { $id: 'Error', description: 'Every error of the API has this shape.' },
);
/** Responses refer to the shared schemas (registered with addSchema) to keep the document small. */
const ErrorRef = T.Unsafe<Static<typeof ErrorBody>>({ $ref: 'Error#' });

/** Responses every authenticated route may give besides its own. */
export const commonErrors = {
  400: ErrorRef,
  401: ErrorRef,
  500: ErrorRef,
  503: ErrorRef,
} as const;
export const errorResponse = ErrorRef;

export const bearer = [{ bearerAuth: [] as string[] }];

export const IdParams = T.Object(
  { id: T.String({ description: 'Customer id (UUID).', maxLength: 64 }) },
  strict,
);

const Phone = T.Object(
  {
    number: T.String({
      minLength: 1,
      maxLength: 64,
      description: 'Any format: national (06 12 34 56 78), international (+33…, 0033…).',
    }),
    label: T.Optional(T.String({ maxLength: 100 })),
  },
  strict,
);

const Attribute = T.Union([T.String(), T.Number(), T.Boolean()]);

export const CustomerInput = T.Object(
  {
    externalId: T.Optional(
      T.String({ minLength: 1, maxLength: 200, description: 'Id in the CRM; unique when set.' }),
    ),
    name: T.String({ minLength: 1, maxLength: 500 }),
    phones: T.Array(Phone, { minItems: 1, maxItems: 50 }),
    tier: T.Optional(T.String({ maxLength: 64, description: 'One of the configured tiers.' })),
    language: T.Optional(T.String({ maxLength: 35, description: 'Language tag, e.g. fr or en-GB.' })),
    email: T.Optional(T.String({ maxLength: 320 })),
    consent: T.Optional(T.Record(T.String(), T.Boolean(), { description: 'Consent per purpose.' })),
    attributes: T.Optional(T.Record(T.String(), Attribute)),
  },
  strict,
);
export type CustomerInput = Static<typeof CustomerInput>;

export const PurchaseInput = T.Object(
  {
    sku: T.String({ minLength: 1, maxLength: 200 }),
    label: T.Optional(T.String({ maxLength: 500 })),
    amountCents: T.Optional(T.Integer({ description: 'Amount in the smallest currency unit.' })),
    currency: T.Optional(T.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR.' })),
    purchasedAt: DateTime('When the purchase was made'),
  },
  strict,
);
export type PurchaseInput = Static<typeof PurchaseInput>;

export const InteractionInput = T.Object(
  {
    at: DateTime('When the interaction happened'),
    channel: T.String({ minLength: 1, maxLength: 64, description: 'call, email, chat, visit…' }),
    agentId: T.Optional(T.String({ maxLength: 200 })),
    summary: T.Optional(T.String({ maxLength: 10_000 })),
    callId: T.Optional(T.String({ maxLength: 200 })),
    disposition: T.Optional(T.String({ maxLength: 200 })),
  },
  strict,
);
export type InteractionInput = Static<typeof InteractionInput>;

const Purchase = T.Object({
  id: T.String(),
  sku: T.String(),
  label: T.Optional(T.String()),
  amountCents: T.Optional(T.Integer()),
  currency: T.Optional(T.String()),
  purchasedAt: DateTime('When the purchase was made'),
});

const Interaction = T.Object({
  id: T.String(),
  at: DateTime('When the interaction happened'),
  channel: T.String(),
  agentId: T.Optional(T.String()),
  summary: T.Optional(T.String()),
  callId: T.Optional(T.String()),
  disposition: T.Optional(T.String()),
});

export const CustomerCard = T.Object(
  {
    id: T.String({ format: 'uuid' }),
    externalId: T.Optional(T.String()),
    name: T.String(),
    phones: T.Array(
      T.Object({
        e164: T.String({ description: 'E.164, e.g. +33612345678.' }),
        label: T.Optional(T.String()),
      }),
    ),
    tier: T.String(),
    language: T.Optional(T.String()),
    email: T.Optional(T.String()),
    consent: T.Record(T.String(), T.Boolean()),
    attributes: T.Record(T.String(), Attribute),
    createdAt: DateTime('Creation time'),
    updatedAt: DateTime('Last change'),
    recentPurchases: T.Array(Purchase, { description: 'Newest first, limited by the configuration.' }),
    recentInteractions: T.Array(Interaction, { description: 'Newest first, limited by the configuration.' }),
  },
  { $id: 'Customer', description: 'A customer with recent context.' },
);
export type CustomerCard = Static<typeof CustomerCard>;
export const CustomerRef = T.Unsafe<CustomerCard>({ $ref: 'Customer#' });

/** Register these with `addSchema` before the routes. */
export const sharedSchemas = [ErrorBody, CustomerCard];

export const ListQuery = T.Object(
  {
    after: T.Optional(T.String({ format: 'uuid', description: 'The `next` of the previous page.' })),
    limit: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);

export const CustomerPage = T.Object({
  items: T.Array(CustomerRef),
  next: T.Union([T.String(), T.Null()], { description: 'Cursor of the next page; null on the last.' }),
});

export const LookupQuery = T.Object(
  { number: T.String({ minLength: 1, maxLength: 64, description: 'A phone number in any format.' }) },
  strict,
);

/** The number as Relais understood it (see the model's NormalisedNumber). */
const Normalised = T.Object({
  kind: T.Unsafe<NormalisedNumber['kind']>({
    type: 'string',
    enum: ['e164', 'extension', 'withheld', 'unavailable', 'unknown'],
  }),
  raw: T.String(),
  e164: T.Optional(T.String()),
  country: T.Optional(T.String()),
  type: T.Optional(T.String()),
  region: T.Optional(T.String()),
  extension: T.Optional(T.String()),
  reason: T.Optional(T.String()),
});

export const LookupResult = T.Object({
  number: Normalised,
  customer: T.Union([CustomerRef, T.Null()], { description: 'The best match, or null.' }),
  matches: T.Integer({ description: 'How many customers share this number.' }),
});

export const CsvBody = T.String({
  description:
    'CSV with a header row: id, name, phones (required), tier, language, email, consent.<purpose>, attr.<key>.',
});

export const ImportReport = T.Object({
  lines: T.Integer({ description: 'Data lines read (header excluded).' }),
  inserted: T.Integer(),
  updated: T.Integer(),
  failed: T.Array(T.Object({ line: T.Integer(), message: T.String() })),
  failedCount: T.Integer(),
});

export const CallList = T.Object({ items: T.Array(T.Unknown()) });
