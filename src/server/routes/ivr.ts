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

/**
 * Numbers arrive as the IVR has them, or not at all for a hidden caller: any string is accepted and
 * normalised (a malformed one becomes `unknown` and gets the line's defaults, never a 400). The
 * bound only keeps absurd inputs out; the normaliser refuses anything past 256 characters anyway.
 */
const Num = T.String({ maxLength: 1024, default: '' });
const CallId = T.String({ minLength: 1, maxLength: 256 });
/** Language of the entry document, echoed back in the choice URL so the next document speaks it. */
const LANG = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const DecisionBody = T.Object(
  {
    callId: CallId,
    ani: T.Optional(Num),
    dnis: T.Optional(Num),
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
  greetingText: T.Optional(T.String()),
  prompt: T.Optional(T.String()),
  promptText: T.Optional(T.String()),
  menu: T.Object({ id: T.String(), options: T.Array(Option) }),
  reasons: T.Array(T.String()),
});
const ChoiceBody = T.Object(
  {
    callId: CallId,
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
  greetingText: a.greetingText,
  prompt: a.prompt,
  promptText: a.promptText,
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
    async (request) => {
      const { callId, ani = '', dnis = '', link } = request.body;
      return pick(await answerOf(opts, { callId, ani, dnis, link }));
    },
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

/**
 * Under /ivr: VoiceXML for IVR platforms (bearer header or `?token=`, see server/app.ts). These
 * documents never answer an error page once authenticated: a caller must hear something. When no
 * personalisation can be had (no `ivr` section, the decision failed), the caller is transferred to
 * the route point at once, as if they had not chosen.
 */
export const ivrVxmlRoutes: FastifyPluginAsyncTypebox<IvrRoutesOptions> = async (app, opts) => {
  const vxml = 'application/voicexml+xml; charset=utf-8';
  const Query = { link: T.Optional(T.String({ maxLength: 64 })), token: T.Optional(T.String()) };
  app.get(
    '/entry.vxml',
    {
      schema: {
        tags: ['ivr'],
        summary: 'The entry menu as VoiceXML 2.1, in the caller’s language and order',
        querystring: T.Object({
          ani: T.Optional(Num),
          dnis: T.Optional(Num),
          callId: T.Optional(CallId),
          ...Query,
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      // Without the PBX's call id the choice cannot steer routing, but the caller still gets a menu.
      const callId = q.callId ?? randomUUID();
      const link = q.link || undefined;
      let a: IvrAnswer | undefined;
      try {
        a = await opts.decide({ callId, ani: q.ani ?? '', dnis: q.dnis ?? '', link });
      } catch (err) {
        request.log.error({ err }, 'IVR decision failed: the caller goes to the route point undecorated');
      }
      if (!a) return reply.type(vxml).send(choiceDocument(opts.defaultLanguage(), opts.transferTo()));
      const answer = a;
      const next = (option?: string) => {
        const params = new URLSearchParams({ callId, menu: answer.menu.id, lang: answer.language });
        if (option !== undefined) params.set('option', option);
        if (link) params.set('link', link);
        // The platform fetches the next document the way it fetched this one: by URL only.
        if (q.token) params.set('token', q.token);
        return `choice.vxml?${params}`;
      };
      return reply.type(vxml).send(entryDocument(answer, next));
    },
  );
  app.get(
    '/choice.vxml',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Records the menu choice and transfers the caller to the route point',
        querystring: T.Object({
          callId: CallId,
          menu: T.Optional(T.String({ maxLength: 64, description: "default: the IVR's menu" })),
          option: T.Optional(T.String({ maxLength: 64, description: 'none: the caller did not choose' })),
          lang: T.Optional(T.String({ maxLength: 16 })),
          ...Query,
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      // An option the menu does not have still transfers the caller: the plan routes without it.
      if (q.option)
        opts.choose({
          callId: q.callId,
          link: q.link || undefined,
          menu: q.menu || undefined,
          choice: q.option,
        });
      const lang = q.lang !== undefined && LANG.test(q.lang) ? q.lang : opts.defaultLanguage();
      return reply.type(vxml).send(choiceDocument(lang, opts.transferTo()));
    },
  );
};
