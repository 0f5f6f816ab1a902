/**
 * IVR personalisation over HTTP: the JSON API the IVR asks at call start (and posts the caller's
 * choice to), and the same as VoiceXML 2.1 documents for platforms that fetch them by URL.
 * A malformed or withheld number still gets an answer (the line's defaults), never an error page.
 */

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { RelaisError } from '../../errors.js';
import type { IvrAnswer, IvrOption } from '../../ivr/decide.js';
import { choiceDocument, entryDocument } from '../../ivr/vxml.js';
import { bearer, commonErrors, errorResponse } from '../schemas.js';

export interface IvrQuery {
  callId: string;
  ani: string;
  dnis: string;
  link?: string;
}

export interface IvrRoutesOptions {
  /** Undefined when the routing plan has no `ivr` section. */
  decide: (q: IvrQuery) => Promise<IvrAnswer | undefined>;
  /** Records the caller's choice for the routing decision that follows; undefined for an unknown option. */
  choose: (q: { callId: string; link?: string; menu?: string; choice: string }) => IvrOption | undefined;
  /** Language of the documents answering a choice. */
  defaultLanguage: () => string;
  transferTo: () => string | undefined;
}

// Numbers arrive as the IVR has them; any string up to a sane length is accepted and normalised.
const Num = T.String({ maxLength: 64 });
const DecisionBody = T.Object(
  {
    callId: T.String({ minLength: 1, maxLength: 128 }),
    ani: Num,
    dnis: Num,
    link: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
const Option = T.Object({
  id: T.String(),
  dtmf: T.String(),
  label: T.String(),
  queue: T.Optional(T.String()),
  skill: T.Optional(T.String()),
});
const Answer = T.Object({
  callId: T.String(),
  language: T.String(),
  greeting: T.String(),
  prompt: T.Optional(T.String()),
  menu: T.Object({ id: T.String(), options: T.Array(Option) }),
  reasons: T.Array(T.String()),
});
const ChoiceBody = T.Object(
  {
    callId: T.String({ minLength: 1, maxLength: 128 }),
    link: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
    menu: T.Optional(T.String({ minLength: 1, maxLength: 64, description: "default: the IVR's menu" })),
    choice: T.String({ minLength: 1, maxLength: 64, description: 'DTMF key or option id' }),
  },
  { additionalProperties: false },
);

async function answerOf(opts: IvrRoutesOptions, q: IvrQuery): Promise<IvrAnswer> {
  const a = await opts.decide(q);
  if (!a) throw new RelaisError('RELAIS_ERR_NOT_FOUND', 'the routing plan has no ivr section');
  return a;
}

const pick = (a: IvrAnswer) => ({
  callId: a.callId,
  language: a.language,
  greeting: a.greeting,
  prompt: a.prompt,
  menu: a.menu,
  reasons: a.reasons,
});

/** Under /api/v1 (bearer token). */
export const ivrApiRoutes: FastifyPluginAsyncTypebox<IvrRoutesOptions> = async (app, opts) => {
  app.post(
    '/ivr/decisions',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Language, greeting and menu order for a call at its start',
        security: bearer,
        body: DecisionBody,
        response: { ...commonErrors, 404: errorResponse, 200: Answer },
      },
    },
    async (request) => pick(await answerOf(opts, request.body)),
  );
  app.post(
    '/ivr/choices',
    {
      schema: {
        tags: ['ivr'],
        summary: "The caller's menu choice; it becomes part of the routing decision",
        security: bearer,
        body: ChoiceBody,
        response: { ...commonErrors, 404: errorResponse, 200: Option },
      },
    },
    async (request) => {
      const o = opts.choose(request.body);
      if (!o)
        throw new RelaisError(
          'RELAIS_ERR_NOT_FOUND',
          `the menu ${request.body.menu ?? ''} has no option ${request.body.choice}`.replace('  ', ' '),
        );
      return o;
    },
  );
};

/** Under /ivr: VoiceXML for IVR platforms (bearer header or `?token=`). */
export const ivrVxmlRoutes: FastifyPluginAsyncTypebox<IvrRoutesOptions> = async (app, opts) => {
  const vxml = 'application/voicexml+xml; charset=utf-8';
  app.get(
    '/entry.vxml',
    {
      schema: {
        tags: ['ivr'],
        summary: 'The entry menu as VoiceXML 2.1, in the caller’s language and order',
        querystring: T.Object({
          ani: T.Optional(Num),
          dnis: T.Optional(Num),
          callId: T.Optional(T.String({ minLength: 1, maxLength: 128 })),
          link: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
          token: T.Optional(T.String()),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const callId = q.callId ?? randomUUID();
      const a = await answerOf(opts, { callId, ani: q.ani ?? '', dnis: q.dnis ?? '', link: q.link });
      const next = (option: string) => {
        const params = new URLSearchParams({ callId, menu: a.menu.id, option });
        if (q.link) params.set('link', q.link);
        if (q.token) params.set('token', q.token);
        return `choice.vxml?${params}`;
      };
      return reply.type(vxml).send(entryDocument(a, next));
    },
  );
  app.get(
    '/choice.vxml',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Records the menu choice and transfers the caller to the route point',
        querystring: T.Object({
          callId: T.String({ minLength: 1, maxLength: 128 }),
          menu: T.Optional(T.String({ minLength: 1, maxLength: 64, description: "default: the IVR's menu" })),
          option: T.String({ minLength: 1, maxLength: 64 }),
          link: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
          token: T.Optional(T.String()),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      // An option the menu does not have still transfers the caller: the plan routes without it.
      opts.choose({ callId: q.callId, link: q.link, menu: q.menu, choice: q.option });
      return reply.type(vxml).send(choiceDocument(opts.defaultLanguage(), opts.transferTo()));
    },
  );
};
