/**
 * IVR personalisation: the language the caller hears, their greeting and the menu in the order
 * that suits them, decided from the same context as routing (numbers, customer card, time), with
 * no I/O. DTMF keys stay with their option whatever the order: callers who know "2 for after-sales"
 * keep pressing 2; only the order the options are read out changes.
 */
import { dialString } from '../model/number.js';
import type { RoutingContext } from '../routing/types.js';
import { BUILT_IN_LANGUAGES, type IvrSection } from './schema.js';

export interface IvrOption {
  id: string;
  dtmf: string;
  label: string;
  queue?: string;
  skill?: string;
}

export interface IvrAnswer {
  callId: string;
  language: string;
  greeting: string;
  /** Prompt of the menu (audio id), if any. */
  prompt?: string;
  menu: { id: string; options: IvrOption[] };
  /** Why: one line per choice made (for the trace and the API). */
  reasons: string[];
  /** Where the caller goes after the menu (VoiceXML transfer). */
  transferTo?: string;
  promptBase: string;
}

export interface CompiledIvr {
  decide(ctx: RoutingContext): IvrAnswer;
  /** A choice posted back (DTMF key or option id) → the option, or undefined when the menu has none. */
  choice(menuId: string, dtmfOrId: string): IvrOption | undefined;
  readonly defaultLanguage: string;
}

export interface IvrProblem {
  path: Array<string | number>;
  message: string;
}

export interface IvrCompileHelpers {
  /** The plan's condition compiler: a predicate on the routing context. */
  predicate(c: unknown, path: Array<string | number>): (ctx: RoutingContext) => boolean;
  problem(path: Array<string | number>, message: string): void;
  queues: ReadonlySet<string>;
  skills: ReadonlySet<string>;
  /** DNIS as written → dial string (E.164 or extension). */
  dialKey(raw: string): string | undefined;
}

export function compileIvr(ivr: IvrSection, h: IvrCompileHelpers): CompiledIvr {
  const base = ['ivr'];
  const languages: Record<string, string> = { ...BUILT_IN_LANGUAGES, ...ivr.languages };
  const supported = ivr.supported ?? [...new Set([ivr.defaultLanguage, ...Object.values(ivr.languages)])];
  const supportedSet = new Set(supported);
  const check = (lang: string, path: Array<string | number>) => {
    if (ivr.supported !== undefined && !supportedSet.has(lang))
      h.problem(path, `language ${lang} is not in ivr.supported`);
  };
  check(ivr.defaultLanguage, [...base, 'defaultLanguage']);
  if (!ivr.menus[ivr.menu]) h.problem([...base, 'menu'], `unknown menu "${ivr.menu}"`);

  for (const [id, m] of Object.entries(ivr.menus)) {
    const keys = new Set<string>();
    const ids = new Set<string>();
    m.options.forEach((o, i) => {
      const path = [...base, 'menus', id, 'options', i];
      if (keys.has(o.dtmf)) h.problem([...path, 'dtmf'], `key ${o.dtmf} is used twice in menu "${id}"`);
      if (ids.has(o.id)) h.problem([...path, 'id'], `option "${o.id}" is listed twice in menu "${id}"`);
      keys.add(o.dtmf);
      ids.add(o.id);
      if (o.queue !== undefined && !h.queues.has(o.queue))
        h.problem([...path, 'queue'], `unknown queue "${o.queue}"`);
      if (o.skill !== undefined && !h.skills.has(o.skill))
        h.problem([...path, 'skill'], `unknown skill "${o.skill}"`);
    });
  }
  const lines = new Map<string, { defaultLanguage?: string; menu?: string }>();
  ivr.lines.forEach((l, i) => {
    if (l.menu !== undefined && !ivr.menus[l.menu])
      h.problem([...base, 'lines', i, 'menu'], `unknown menu "${l.menu}"`);
    if (l.defaultLanguage !== undefined) check(l.defaultLanguage, [...base, 'lines', i, 'defaultLanguage']);
    l.dnis.forEach((raw, j) => {
      const key = h.dialKey(raw);
      if (key === undefined) h.problem([...base, 'lines', i, 'dnis', j], `"${raw}" is not a number`);
      else lines.set(key, l);
    });
  });
  const allOptions = new Set(Object.values(ivr.menus).flatMap((m) => m.options.map((o) => o.id)));
  const ordering = ivr.ordering.map((r, i) => {
    r.first.forEach((id, j) => {
      if (!allOptions.has(id))
        h.problem([...base, 'ordering', i, 'first', j], `no menu has an option "${id}"`);
    });
    return { name: r.name, when: h.predicate(r.when, [...base, 'ordering', i, 'when']), first: r.first };
  });

  const pickLanguage = (ctx: RoutingContext, lineDefault: string | undefined): [string, string] => {
    const pref = ctx.customer?.language;
    if (pref !== undefined) {
      const exact = supported.find((l) => l.toLowerCase() === pref.toLowerCase());
      const family =
        exact ?? supported.find((l) => l.toLowerCase().startsWith(`${pref.toLowerCase().split('-')[0]}-`));
      if (family) return [family, `language ${family}: the customer's preference (${pref})`];
    }
    if (ctx.ani.kind === 'e164' && ctx.ani.country !== undefined) {
      const l = languages[ctx.ani.country];
      if (l !== undefined && supportedSet.has(l))
        return [l, `language ${l}: the caller's number is from ${ctx.ani.country}`];
    }
    const l = lineDefault ?? ivr.defaultLanguage;
    return [l, `language ${l}: the ${lineDefault ? "line's" : "IVR's"} default`];
  };

  const labelOf = (o: IvrSection['menus'][string]['options'][number], lang: string): string =>
    o.label?.[lang] ?? o.label?.[ivr.defaultLanguage] ?? Object.values(o.label ?? {})[0] ?? o.id;

  return {
    defaultLanguage: ivr.defaultLanguage,
    decide(ctx) {
      const reasons: string[] = [];
      const key = dialString(ctx.dnis);
      const line = key === undefined ? undefined : lines.get(key);
      const [language, why] = pickLanguage(ctx, line?.defaultLanguage);
      reasons.push(why);
      const c = ctx.customer;
      let greeting = ivr.greetings.default;
      const tierGreeting = c ? ivr.greetings.tiers[c.tier] : undefined;
      if (tierGreeting !== undefined) {
        greeting = tierGreeting;
        reasons.push(`greeting ${greeting}: ${c?.tier} customer`);
      } else if (c && ivr.greetings.returning !== undefined) {
        greeting = ivr.greetings.returning;
        reasons.push(`greeting ${greeting}: returning customer`);
      } else reasons.push(`greeting ${greeting}: ${c ? 'known customer' : 'caller not identified'}`);
      const menuId = line?.menu ?? ivr.menu;
      const menu = ivr.menus[menuId];
      let options = menu?.options ?? [];
      for (const r of ordering) {
        if (!r.when(ctx)) continue;
        const front = r.first.map((id) => options.find((o) => o.id === id)).filter((o) => o !== undefined);
        options = [...front, ...options.filter((o) => !r.first.includes(o.id))];
        reasons.push(`menu order: rule ${r.name} brings ${r.first.join(', ')} first`);
        break;
      }
      return {
        callId: ctx.callId,
        language,
        greeting,
        prompt: menu?.prompt,
        menu: {
          id: menuId,
          options: options.map((o) => ({
            id: o.id,
            dtmf: o.dtmf,
            label: labelOf(o, language),
            queue: o.queue,
            skill: o.skill,
          })),
        },
        reasons,
        transferTo: ivr.transferTo,
        promptBase: ivr.promptBase,
      };
    },
    choice(menuId, dtmfOrId) {
      const o = ivr.menus[menuId]?.options.find((x) => x.dtmf === dtmfOrId || x.id === dtmfOrId);
      return (
        o && {
          id: o.id,
          dtmf: o.dtmf,
          label: labelOf(o, ivr.defaultLanguage),
          queue: o.queue,
          skill: o.skill,
        }
      );
    },
  };
}
