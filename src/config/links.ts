/** Configuration of the PBX links (docs/links.md). */
import { type Static, Type as T } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;
const Host = T.String({ minLength: 1 });
const Port = T.Integer({ minimum: 1, maximum: 65535 });
const DeviceId = T.String({ minLength: 1, maxLength: 64 });

const TlsFiles = T.Object(
  {
    caFile: T.Optional(T.String({ minLength: 1, description: 'CA that signed the peer certificate (PEM).' })),
    certFile: T.Optional(T.String({ minLength: 1, description: 'Our certificate (PEM), for mutual TLS.' })),
    keyFile: T.Optional(T.String({ minLength: 1 })),
    servername: T.Optional(
      T.String({ minLength: 1, description: 'Name to verify in the switch certificate.' }),
    ),
    requireClientCert: T.Boolean({
      default: false,
      description: 'Server mode: demand a client certificate (mutual TLS).',
    }),
  },
  strict,
);

const MonitoredDevice = T.Object(
  {
    id: DeviceId,
    kind: T.Union([T.Literal('agent'), T.Literal('acd'), T.Literal('routePoint')], {
      default: 'agent',
      description:
        'agent: an extension where agents answer; acd: a hunt/ACD group; routePoint: a routing device.',
    }),
  },
  strict,
);

export const CstaLinkSchema = T.Object(
  {
    name: T.String({
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      description: 'Names the link in logs, metrics and call records.',
    }),
    mode: T.Union([T.Literal('client'), T.Literal('server')], {
      default: 'client',
      description: 'client: Relais connects to the switch (usual); server: the switch connects to Relais.',
    }),
    host: T.Optional(Host),
    port: T.Optional(Port),
    standby: T.Array(T.Object({ host: Host, port: Port }, strict), {
      default: [],
      description: 'Standby switch addresses tried in turn after the primary.',
    }),
    listen: T.Optional(
      T.Object(
        {
          host: T.String({ default: '0.0.0.0' }),
          port: T.Integer({ minimum: 0, maximum: 65535, description: '0: any free port.' }),
        },
        strict,
      ),
    ),
    tls: T.Optional(TlsFiles),
    framing: T.Union([T.Literal('header'), T.Literal('nul')], { default: 'header' }),
    maxFrameBytes: T.Integer({ minimum: 512, maximum: 65535, default: 65535 }),
    namespace: T.Union(
      [T.Literal('ed2'), T.Literal('ed3'), T.Literal('ed4'), T.Literal('ed5'), T.Literal('ed6')],
      {
        default: 'ed3',
        description: 'ECMA-323 edition of the documents Relais sends.',
      },
    ),
    applicationSession: T.Union(
      [
        T.Literal(false),
        T.Object(
          {
            applicationId: T.String({ minLength: 1, default: 'Relais' }),
            durationSeconds: T.Integer({ minimum: 10, maximum: 86_400, default: 300 }),
          },
          strict,
        ),
      ],
      { default: false, description: 'ECMA-354 StartApplicationSession, for switches that want one.' },
    ),
    keepAliveSeconds: T.Integer({ minimum: 1, maximum: 3600, default: 30 }),
    requestTimeoutMs: T.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
    connectTimeoutMs: T.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
    reconnect: T.Object(
      {
        initialMs: T.Integer({ minimum: 10, default: 500 }),
        maxMs: T.Integer({ minimum: 10, default: 30_000 }),
      },
      { ...strict, default: {} },
    ),
    devices: T.Array(MonitoredDevice, { default: [], description: 'Devices to monitor (MonitorStart).' }),
    routing: T.Object(
      {
        devices: T.Array(DeviceId, {
          default: [],
          description: 'Routing devices to register (RouteRegister).',
        }),
        routes: T.Record(T.String({ minLength: 1 }), DeviceId, {
          default: {},
          description: 'DNIS (any format) → destination device.',
        }),
        default: T.Optional(DeviceId),
        fallback: T.Optional(DeviceId),
        decisionTimeoutMs: T.Integer({
          minimum: 1,
          maximum: 30_000,
          default: 500,
          description: 'Longest wait for a decision before the fallback route is sent.',
        }),
        queueWaitMs: T.Integer({
          minimum: 0,
          maximum: 600_000,
          default: 4000,
          description:
            "Longest hold of a queued call's RouteRequest while Relais waits for an agent; then the call goes to its queue's device (ACD group). Keep it under the switch's route timeout.",
        }),
      },
      { ...strict, default: {} },
    ),
  },
  strict,
);

export type CstaLinkConfig = Static<typeof CstaLinkSchema>;

export const LinksSchema = T.Object(
  {
    csta: T.Array(CstaLinkSchema, { default: [] }),
  },
  { ...strict, default: {} },
);
