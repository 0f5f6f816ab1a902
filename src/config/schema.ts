/**
 * The configuration schema: one file (`relais.config.json` or `.yaml`), every key with a default
 * so that `relais start` works with no file at all. Documented in docs/configuration.md.
 */
import { type Static, Type as T } from '@sinclair/typebox';
import { LinksSchema } from './links.js';

const NumberPlan = T.Object(
  {
    defaultCountry: T.String({
      pattern: '^[A-Z]{2}$',
      default: 'FR',
      description: 'ISO 3166-1 alpha-2 country for national numbers such as 0612345678.',
    }),
    outsideLinePrefix: T.Optional(
      T.String({ pattern: '^[0-9]{1,2}$', description: 'Digit(s) the PBX puts before external numbers.' }),
    ),
    extensionMaxLength: T.Integer({ minimum: 1, maximum: 8, default: 6 }),
    extensionPattern: T.Optional(T.String({ minLength: 1 })),
    regions: T.Union(
      [
        T.Literal('fr'),
        T.Literal('none'),
        T.Array(
          T.Object(
            { name: T.String({ minLength: 1 }), prefixes: T.Array(T.String({ pattern: '^\\+[0-9]+$' })) },
            { additionalProperties: false },
          ),
        ),
      ],
      { default: 'fr' },
    ),
  },
  { additionalProperties: false, default: {} },
);

const Tls = T.Object(
  {
    certFile: T.String({ minLength: 1 }),
    keyFile: T.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const ConfigSchema = T.Object(
  {
    dataDir: T.String({
      minLength: 1,
      default: 'data',
      description: 'Where the embedded database and generated files live.',
    }),
    database: T.Object(
      {
        url: T.Optional(
          T.String({
            pattern: '^postgres(ql)?://',
            description: 'PostgreSQL URL; without it, embedded PGlite.',
          }),
        ),
        poolSize: T.Integer({ minimum: 1, maximum: 200, default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
    http: T.Object(
      {
        host: T.String({ minLength: 1, default: '127.0.0.1' }),
        port: T.Integer({ minimum: 0, maximum: 65535, default: 8443 }),
        tls: T.Optional(Tls),
      },
      { additionalProperties: false, default: {} },
    ),
    api: T.Object(
      {
        tokens: T.Array(
          T.Object(
            {
              name: T.String({ minLength: 1 }),
              token: T.String({ minLength: 24, description: 'At least 24 characters.' }),
            },
            { additionalProperties: false },
          ),
          { default: [] },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    numbers: NumberPlan,
    customers: T.Object(
      {
        cacheSize: T.Integer({
          minimum: 0,
          default: 500_000,
          description: 'Numbers kept in the lookup cache.',
        }),
        recentPurchases: T.Integer({ minimum: 0, maximum: 100, default: 5 }),
        recentInteractions: T.Integer({ minimum: 0, maximum: 100, default: 5 }),
        tiers: T.Array(T.String({ pattern: '^[a-z][a-z0-9_-]*$' }), {
          minItems: 1,
          default: ['standard', 'vip'],
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    calls: T.Object(
      {
        clearGraceMs: T.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
        maxLiveCalls: T.Integer({ minimum: 1, default: 100_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    history: T.Object(
      {
        batchSize: T.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
        flushMs: T.Integer({ minimum: 1, maximum: 10_000, default: 50 }),
      },
      { additionalProperties: false, default: {} },
    ),
    campaigns: T.Array(
      T.Object(
        {
          id: T.String({ pattern: '^[a-z0-9][a-z0-9_.-]*$' }),
          name: T.String({ minLength: 1, maxLength: 200 }),
          dnis: T.Array(T.String({ minLength: 1 }), { minItems: 1 }),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'DNIS → campaign or service: shown on the pop, kept for analytics.' },
    ),
    desktop: T.Object(
      {
        crmUrls: T.Array(
          T.Object(
            {
              dnis: T.Optional(T.Array(T.String({ minLength: 1 }), { minItems: 1 })),
              queue: T.Optional(T.String({ minLength: 1 })),
              url: T.String({
                pattern: '^https?://',
                description: 'Template: {ani} {dnis} {callId} {customerId} {link} {device}, URL-encoded.',
              }),
            },
            { additionalProperties: false },
          ),
          {
            default: [],
            description:
              'CRM page opened beside the card; the first entry whose dnis or queue matches (or with neither) wins.',
          },
        ),
        webhooks: T.Array(
          T.Object(
            {
              url: T.String({ pattern: '^https?://' }),
              secret: T.String({
                minLength: 16,
                description:
                  'HMAC-SHA256 key of the X-Relais-Signature header. From the environment: RELAIS_WEBHOOK_SECRET.',
              }),
            },
            { additionalProperties: false },
          ),
          {
            default: [],
            description: 'Where screen pops are pushed (signed, retried, never blocking the pop).',
          },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    routing: T.Object(
      {
        plan: T.Optional(
          T.String({
            minLength: 1,
            description:
              'Routing plan file (YAML or JSON; docs/routing.md), relative to this file. Without it, each link routes with its own routes table.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    links: LinksSchema,
    log: T.Object(
      {
        level: T.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => T.Literal(l)),
          { default: 'info' },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
