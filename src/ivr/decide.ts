/**
 * IVR personalisation: the language the caller hears, their greeting and the menu in the order
 * that suits them, decided from the same context as routing (numbers, customer card, time), with
 * no I/O. DTMF keys stay with their option whatever the order: callers who know "2 for after-sales"
 * keep pressing 2; only the order the options are read out changes.
 *
 * Everything that does not depend on the caller (supported languages, the lines, each ordering
 * rule's reordered menu) is computed once here, so that `decide` is a few map reads and the
 * ordering rules' predicates.
 */
import { dialString } from '../model/number.js';
import type { RoutingContext } from '../routing/types.js';
import { BUILT_IN_LANGUAGES, type IvrSection } from './schema.js';

export interface IvrOption {
  id: string;
  dtmf: string;
  /** In the answer's language, else the IVR's default language, else the id. */
  label: string;
  queue?: string;
  skill?: string;
}

export interface IvrAnswer {
  callId: string;
  language: string;
  /** Prompt id of the greeting. */
  greeting: string;
  /** The greeting's text in the language (`texts`), for TTS when its audio cannot be played. */
  greetingText?: string;
  /** Prompt of the menu (audio id), if any. */
  prompt?: string;
  promptText?: string;
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
  /** Customer tiers (customers.tiers), for `greetings.tiers`. */
  tiers: ReadonlySet<string>;
  /** DNIS as written → dial string (E.164 or extension). */
  dialKey(raw: string): string | undefined;
}

type MenuOption = IvrSection['menus'][string]['options'][number];
type Path = Array<string | number>;

/** `fr`, `FR_fr`, ` fr-fr ` → `fr-fr`: customer records write languages every way. */
const tagKey = (s: string) => s.trim().replace(/_/g, '-').toLowerCase();
const primary = (tag: string) => tagKey(tag).split('-')[0] ?? '';
/** A record's own entry: keys from a request or a customer card must not reach `constructor`. */
const own = <V>(r: Record<string, V>, k: string): V | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);

export function compileIvr(ivr: IvrSection, h: IvrCompileHelpers): CompiledIvr {
  const base = ['ivr'];
  const languages: Record<string, string> = { ...BUILT_IN_LANGUAGES, ...ivr.languages };
  const supported = supportedLanguages(ivr);
  const byKey = new Map(supported.map((l) => [tagKey(l), l]));
  /** Primary language → the supported tags of it, in the order listed. */
  const families = new Map<string, string[]>();
  for (const l of supported) families.set(primary(l), [...(families.get(primary(l)) ?? []), l]);

  for (const tier of Object.keys(ivr.greetings.tiers)) {
    if (!h.tiers.has(tier))
      h.problem(
        [...base, 'greetings', 'tiers', tier],
        `unknown tier "${tier}" (customers.tiers: ${[...h.tiers].join(', ')})`,
      );
  }
  const check = (lang: string, path: Path) => {
    if (ivr.supported !== undefined && !byKey.has(tagKey(lang)))
      h.problem(path, `language ${lang} is not in ivr.supported`);
  };
  check(ivr.defaultLanguage, [...base, 'defaultLanguage']);
  for (const [country, lang] of Object.entries(ivr.languages)) check(lang, [...base, 'languages', country]);
  if (!ivr.menus[ivr.menu]) h.problem([...base, 'menu'], `unknown menu "${ivr.menu}"`);
  checkMenus(ivr, h);
  const lines = compileLines(ivr, h, check);
  const ordering = compileOrdering(ivr, h);

  /**
   * The supported language closest to a tag: itself, else one of the same language (a `fr`
   * preference or a Swiss number with no fr-CH prompts still hears French), preferring the line's
   * default and then the order of `supported`.
   */
  const closest = (tag: string, preferred: string): string | undefined => {
    const exact = byKey.get(tagKey(tag));
    if (exact !== undefined) return exact;
    const family = families.get(primary(tag));
    if (!family) return undefined;
    return family.includes(preferred) ? preferred : family[0];
  };

  const pickLanguage = (ctx: RoutingContext, fallback: string, fromLine: boolean): [string, string] => {
    const pref = ctx.customer?.language;
    if (pref !== undefined && pref.trim() !== '') {
      const l = closest(pref, fallback);
      if (l !== undefined) return [l, `language ${l}: the customer's preference (${pref})`];
    }
    // Only a valid E.164 number has a country; withheld, unknown and malformed numbers fall through.
    if (ctx.ani.kind === 'e164' && ctx.ani.country !== undefined) {
      const wanted = own(languages, ctx.ani.country);
      const l = wanted === undefined ? undefined : closest(wanted, fallback);
      if (l !== undefined) return [l, `language ${l}: the caller's number is from ${ctx.ani.country}`];
    }
    return [fallback, `language ${fallback}: the ${fromLine ? "line's" : "IVR's"} default`];
  };

  const labelOf = (o: MenuOption, lang: string): string => {
    const label = o.label ?? {};
    const sameLanguage = Object.keys(label).find((l) => primary(l) === primary(lang));
    return (
      label[lang] ??
      (sameLanguage === undefined ? undefined : label[sameLanguage]) ??
      label[ivr.defaultLanguage] ??
      o.id
    );
  };
  const textOf = (prompt: string | undefined, lang: string): string | undefined => {
    const t = prompt === undefined ? undefined : ivr.texts[prompt];
    return t?.[lang] ?? t?.[ivr.defaultLanguage];
  };
  const toOption = (o: MenuOption, lang: string): IvrOption => ({
    id: o.id,
    dtmf: o.dtmf,
    label: labelOf(o, lang),
    ...(o.queue === undefined ? {} : { queue: o.queue }),
    ...(o.skill === undefined ? {} : { skill: o.skill }),
  });

  const greetingOf = (ctx: RoutingContext): [string, string] => {
    const c = ctx.customer;
    if (!c) return [ivr.greetings.default, 'caller not identified'];
    const tier = own(ivr.greetings.tiers, c.tier);
    if (tier !== undefined) return [tier, `${c.tier} customer`];
    // "Returning" means they have dealt with us: a card imported from the CRM alone is not enough.
    const history = c.recentInteractions.length > 0 || c.recentPurchases.length > 0;
    if (history && ivr.greetings.returning !== undefined)
      return [ivr.greetings.returning, 'returning customer'];
    return [ivr.greetings.default, history ? 'known customer' : 'known customer, no history yet'];
  };

  return {
    defaultLanguage: ivr.defaultLanguage,
    decide(ctx) {
      const key = dialString(ctx.dnis);
      const line = key === undefined ? undefined : lines.get(key);
      const fallback = line?.defaultLanguage ?? ivr.defaultLanguage;
      const [language, whyLanguage] = pickLanguage(ctx, fallback, line?.defaultLanguage !== undefined);
      const [greeting, whyGreeting] = greetingOf(ctx);
      const reasons = [whyLanguage, `greeting ${greeting}: ${whyGreeting}`];
      const menuId = line?.menu ?? ivr.menu;
      const menu = ivr.menus[menuId];
      let options = menu?.options ?? [];
      for (const r of ordering) {
        const reordered = r.menus.get(menuId);
        // A rule about options this menu does not have is not about this menu: the next rule may be.
        if (reordered === undefined || !r.when(ctx)) continue;
        options = reordered;
        reasons.push(`menu order: rule ${r.name} brings ${r.first.join(', ')} first`);
        break;
      }
      return {
        callId: ctx.callId,
        language,
        greeting,
        greetingText: textOf(greeting, language),
        prompt: menu?.prompt,
        promptText: textOf(menu?.prompt, language),
        menu: { id: menuId, options: options.map((o) => toOption(o, language)) },
        reasons,
        transferTo: ivr.transferTo,
        promptBase: ivr.promptBase,
      };
    },
    choice(menuId, dtmfOrId) {
      const o = own(ivr.menus, menuId)?.options.find((x) => x.dtmf === dtmfOrId || x.id === dtmfOrId);
      return o && toOption(o, ivr.defaultLanguage);
    },
  };
}

/** `supported` as written, else every language the section names (all have prompts, presumably). */
function supportedLanguages(ivr: IvrSection): string[] {
  if (ivr.supported !== undefined) return ivr.supported;
  return [
    ...new Set([
      ivr.defaultLanguage,
      ...Object.values(ivr.languages),
      ...ivr.lines.flatMap((l) => (l.defaultLanguage === undefined ? [] : [l.defaultLanguage])),
    ]),
  ];
}

function checkMenus(ivr: IvrSection, h: IvrCompileHelpers): void {
  for (const [id, m] of Object.entries(ivr.menus)) {
    const keys = new Set<string>();
    const ids = new Set<string>();
    m.options.forEach((o, i) => {
      const path = ['ivr', 'menus', id, 'options', i];
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
}

/** Called number (dial string) → the line's settings. */
function compileLines(
  ivr: IvrSection,
  h: IvrCompileHelpers,
  checkLanguage: (lang: string, path: Path) => void,
): Map<string, IvrSection['lines'][number]> {
  const lines = new Map<string, IvrSection['lines'][number]>();
  ivr.lines.forEach((l, i) => {
    const path = ['ivr', 'lines', i];
    if (l.menu !== undefined && !ivr.menus[l.menu]) h.problem([...path, 'menu'], `unknown menu "${l.menu}"`);
    if (l.defaultLanguage !== undefined) checkLanguage(l.defaultLanguage, [...path, 'defaultLanguage']);
    l.dnis.forEach((raw, j) => {
      const key = h.dialKey(raw);
      if (key === undefined) h.problem([...path, 'dnis', j], `"${raw}" is not a number`);
      else if (lines.has(key))
        h.problem([...path, 'dnis', j], `${key} is already the number of another line`);
      else lines.set(key, l);
    });
  });
  return lines;
}

interface OrderingRule {
  name: string;
  first: string[];
  when: (ctx: RoutingContext) => boolean;
  /** Menu id → its options in this rule's order, for the menus that have at least one of `first`. */
  menus: Map<string, MenuOption[]>;
}

function compileOrdering(ivr: IvrSection, h: IvrCompileHelpers): OrderingRule[] {
  const allOptions = new Set(Object.values(ivr.menus).flatMap((m) => m.options.map((o) => o.id)));
  const names = new Set<string>();
  return ivr.ordering.map((r, i) => {
    const path = ['ivr', 'ordering', i];
    if (names.has(r.name)) h.problem([...path, 'name'], `duplicate ordering rule "${r.name}"`);
    names.add(r.name);
    r.first.forEach((id, j) => {
      if (!allOptions.has(id)) h.problem([...path, 'first', j], `no menu has an option "${id}"`);
    });
    const menus = new Map<string, MenuOption[]>();
    for (const [id, m] of Object.entries(ivr.menus)) {
      const front = [...new Set(r.first)].flatMap((f) => m.options.filter((o) => o.id === f));
      // The rest keep their written order (a stable move to the front).
      if (front.length > 0) menus.set(id, [...front, ...m.options.filter((o) => !front.includes(o))]);
    }
    return { name: r.name, first: r.first, when: h.predicate(r.when, [...path, 'when']), menus };
  });
}
