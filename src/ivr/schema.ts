/**
 * The `ivr` section of the routing plan: languages, greetings, menus, and rules that reorder a
 * menu for a caller (their `when` is the plan's condition language). Documented in docs/ivr.md.
 */
import { type Static, Type as T } from '@sinclair/typebox';
import { ConditionSchema } from '../routing/plan/conditions-schema.js';

const Lang = T.String({
  pattern: '^[a-z]{2,3}(-[A-Z]{2})?$',
  description: 'BCP 47 language tag, e.g. fr-FR',
});
const Id = T.String({ pattern: '^[a-z0-9][a-z0-9_.-]*$' });
const strict = { additionalProperties: false } as const;

export const IvrSchema = T.Object(
  {
    defaultLanguage: T.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', default: 'fr-FR' }),
    /** Country of the caller's number → language; merged over the built-in table. */
    languages: T.Record(T.String({ pattern: '^[A-Z]{2}$' }), Lang, { default: {} }),
    /** Languages the IVR has prompts for; a preference outside it falls back. Default: every language named. */
    supported: T.Optional(T.Array(Lang, { minItems: 1 })),
    /** Per called number: the line's own default language and menu. */
    lines: T.Array(
      T.Object(
        {
          dnis: T.Array(T.String({ minLength: 1 }), { minItems: 1 }),
          defaultLanguage: T.Optional(Lang),
          menu: T.Optional(Id),
        },
        strict,
      ),
      { default: [] },
    ),
    greetings: T.Object(
      {
        default: T.String({ minLength: 1, default: 'welcome' }),
        returning: T.Optional(T.String({ minLength: 1 })),
        /** Customer tier → greeting (`vip: vip-welcome`). */
        tiers: T.Record(T.String(), T.String({ minLength: 1 }), { default: {} }),
      },
      { ...strict, default: {} },
    ),
    menus: T.Record(
      Id,
      T.Object(
        {
          prompt: T.Optional(T.String({ minLength: 1 })),
          options: T.Array(
            T.Object(
              {
                id: Id,
                dtmf: T.String({ pattern: '^[0-9*#]$' }),
                /** Label per language (for TTS and the API). */
                label: T.Optional(T.Record(Lang, T.String({ minLength: 1 }))),
                queue: T.Optional(Id),
                skill: T.Optional(Id),
              },
              strict,
            ),
            { minItems: 1 },
          ),
        },
        strict,
      ),
      { default: {} },
    ),
    /** The menu when the line names none. */
    menu: T.String({ default: 'main' }),
    /** Rules that bring options first for a caller; the first matching rule applies. */
    ordering: T.Array(
      T.Object(
        { name: T.String({ minLength: 1 }), when: ConditionSchema, first: T.Array(Id, { minItems: 1 }) },
        strict,
      ),
      { default: [] },
    ),
    /**
     * Text per prompt id and language, spoken by the IVR's TTS when the prompt's audio cannot be
     * played (VoiceXML 2.0 §4.1.3): `welcome: { fr-FR: Bonjour, en-US: Hello }`.
     */
    texts: T.Record(T.String({ minLength: 1 }), T.Record(Lang, T.String({ minLength: 1 })), { default: {} }),
    /** Where the VoiceXML sends the caller after the menu (the route point that asks Relais). */
    transferTo: T.Optional(T.String({ pattern: '^[0-9A-Za-z*#+]{1,32}$' })),
    /** Base URL of the prompt audio files (`{base}/{language}/{prompt}.wav`). */
    promptBase: T.String({ default: 'prompts' }),
  },
  strict,
);

export type IvrSection = Static<typeof IvrSchema>;

/** Country → language when the plan does not say. */
export const BUILT_IN_LANGUAGES: Readonly<Record<string, string>> = {
  FR: 'fr-FR',
  BE: 'fr-BE',
  CH: 'fr-CH',
  LU: 'fr-LU',
  MC: 'fr-FR',
  CA: 'en-CA',
  US: 'en-US',
  GB: 'en-GB',
  IE: 'en-GB',
  DE: 'de-DE',
  AT: 'de-AT',
  ES: 'es-ES',
  IT: 'it-IT',
  PT: 'pt-PT',
  NL: 'nl-NL',
  RE: 'fr-FR',
  GP: 'fr-FR',
  MQ: 'fr-FR',
  GF: 'fr-FR',
  YT: 'fr-FR',
};
