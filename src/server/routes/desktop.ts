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
import { type DesktopHub, HubConnection } from '../../desktop/hub.js';

export interface DesktopRoutesOptions {
  hub: DesktopHub;
  /** Ping interval; a connection that missed one pong is closed. */
  heartbeatMs: number;
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
      }, opts.heartbeatMs);
      beat.unref();

      socket.on('message', (raw: Buffer, isBinary: boolean) => {
        let msg: unknown;
        try {
          msg = isBinary ? undefined : JSON.parse(raw.toString('utf8'));
        } catch {
          msg = undefined;
        }
        if (!Value.Check(ClientMessage, msg)) {
          socket.send(
            JSON.stringify({ type: 'error', reason: msg === undefined ? 'not JSON text' : reasonOf(msg) }),
          );
          return;
        }
        if (msg.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        else follow(msg.device, msg.after);
      });
      socket.on('close', () => {
        clearInterval(beat);
        opts.hub.detach(conn);
      });
    },
  );
};
