/**
 * WebSocket endpoint of the agent desktops (and, later, the wallboard): `GET /ws/desktop?device=4001`
 * follows the device the agent sits at. Authenticated like the API (bearer header, or `?token=`
 * since browsers cannot set headers on a WebSocket). A reconnecting desktop passes `after=<last
 * seq>` and gets what it missed. Heartbeats (ping/pong) find dead connections.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket'; // its `websocket: true` route option
import { Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { WebSocket } from 'ws';
import { type DesktopHub, HubConnection } from '../../desktop/hub.js';

export interface DesktopRoutesOptions {
  hub: DesktopHub;
  /** Ping interval; a connection that missed one pong is closed. */
  heartbeatMs: number;
  /** The wallboard as it is now, sent to a wallboard that connects. */
  wallboard: () => unknown;
}

const Device = T.String({ pattern: '^[0-9A-Za-z*#+]{1,32}$' });

/** Messages a desktop may send, by `type`. */
const MESSAGES = {
  ping: T.Object({ type: T.Literal('ping') }, { additionalProperties: false }),
  follow: T.Object(
    { type: T.Literal('follow'), device: Device, after: T.Optional(T.Integer({ minimum: 0 })) },
    { additionalProperties: false },
  ),
};
const ClientMessage = T.Union(Object.values(MESSAGES));

/** The reason a message is refused: its own type's first error, not "expected union value". */
function reasonOf(value: unknown): string {
  const type = (value as { type?: unknown } | null)?.type;
  const schema =
    typeof type === 'string' && Object.hasOwn(MESSAGES, type)
      ? MESSAGES[type as keyof typeof MESSAGES]
      : undefined;
  if (!schema) return `type: expected one of ${Object.keys(MESSAGES).join(', ')}`;
  const first = [...Value.Errors(schema, value)][0];
  return first ? `${first.path.slice(1) || '(message)'}: ${first.message}` : 'not a message';
}

/** Heartbeats and cleanup of one hub connection over a WebSocket. */
function keepAlive(socket: WebSocket, conn: HubConnection, hub: DesktopHub, heartbeatMs: number): void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const beat = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, heartbeatMs);
  beat.unref();
  socket.on('close', () => {
    clearInterval(beat);
    hub.detach(conn);
  });
}

function parse(raw: Buffer, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const desktopRoutes: FastifyPluginAsyncTypebox<DesktopRoutesOptions> = async (app, opts) => {
  app.get(
    '/desktop',
    {
      websocket: true,
      schema: {
        tags: ['desktop'],
        summary: 'Screen pops and call states of one device, pushed (WebSocket)',
        querystring: T.Object({
          device: Device,
          after: T.Optional(T.Integer({ minimum: 0 })),
          token: T.Optional(T.String()),
        }),
      },
    },
    (socket, request) => {
      const conn = new HubConnection(socket);
      const follow = (device: string, after?: number) => {
        opts.hub.unsubscribeAll(conn);
        opts.hub.subscribe(conn, `device:${device}`, after);
      };
      follow(request.query.device, request.query.after);
      keepAlive(socket, conn, opts.hub, opts.heartbeatMs);
      socket.on('message', (raw: Buffer, isBinary: boolean) => {
        const msg = parse(raw, isBinary);
        if (!Value.Check(ClientMessage, msg)) {
          socket.send(
            JSON.stringify({ type: 'error', reason: msg === undefined ? 'not JSON text' : reasonOf(msg) }),
          );
          return;
        }
        if (msg.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        else follow(msg.device, msg.after);
      });
    },
  );

  app.get(
    '/wallboard',
    {
      websocket: true,
      schema: {
        tags: ['desktop'],
        summary: 'The supervisor wallboard: queues, service level, agents, live calls, pushed (WebSocket)',
        querystring: T.Object({ token: T.Optional(T.String()) }),
      },
    },
    (socket) => {
      const conn = new HubConnection(socket);
      opts.hub.subscribe(conn, 'wallboard');
      socket.send(JSON.stringify({ channel: 'wallboard', type: 'wallboard', payload: opts.wallboard() }));
      keepAlive(socket, conn, opts.hub, opts.heartbeatMs);
      socket.on('message', (raw: Buffer, isBinary: boolean) => {
        const msg = parse(raw, isBinary);
        if (Value.Check(MESSAGES.ping, msg)) socket.send(JSON.stringify({ type: 'pong' }));
        else
          socket.send(
            JSON.stringify({ type: 'error', reason: 'the wallboard only answers {"type":"ping"}' }),
          );
      });
    },
  );
};
