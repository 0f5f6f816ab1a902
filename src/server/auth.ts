/**
 * Bearer-token authentication of /api/v1 and /ivr (tokens from config `api.tokens`).
 *
 * Tokens are compared as SHA-256 digests with timingSafeEqual (equal lengths whatever the input),
 * against every configured token so that the time does not tell which one nearly matched.
 * The request log gets the token's *name*; the token itself is never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelaisError } from '../errors.js';

export interface ApiToken {
  name: string;
  token: string;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The name of the token the header carries, or undefined. */
export function tokenName(known: ReadonlyArray<{ name: string; hash: Buffer }>, header: string | undefined) {
  const m = header === undefined ? null : BEARER.exec(header);
  if (!m?.[1]) return undefined;
  const presented = digest(m[1]);
  let name: string | undefined;
  for (const k of known) {
    if (timingSafeEqual(presented, k.hash) && name === undefined) name = k.name;
  }
  return name;
}

/** An onRequest hook that refuses requests without a valid bearer token (401). */
export function bearerAuth(tokens: ReadonlyArray<ApiToken>, opts: { queryToken?: boolean } = {}) {
  const known = tokens.map((t) => ({ name: t.name, hash: digest(t.token) }));
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // IVR platforms fetch VoiceXML documents by URL and cannot add a header: `?token=` there only.
    const inQuery = opts.queryToken ? (request.query as { token?: unknown } | undefined)?.token : undefined;
    const header =
      request.headers.authorization ?? (typeof inQuery === 'string' ? `Bearer ${inQuery}` : undefined);
    const name = tokenName(known, header);
    if (name === undefined) {
      throw new RelaisError(
        'RELAIS_ERR_UNAUTHORIZED',
        header === undefined ? 'a bearer token is required' : 'the bearer token is not valid',
        { details: { presented: header !== undefined } },
      );
    }
    const log = request.log.child({ apiToken: name });
    request.log = log;
    reply.log = log;
  };
}
