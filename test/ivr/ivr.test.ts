/** IVR personalisation from the example plan: language, greeting, menu order, choices, VoiceXML. */
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { isRelaisError } from '../../src/errors.js';
import type { IvrAnswer } from '../../src/ivr/decide.js';
import { choiceDocument, entryDocument } from '../../src/ivr/vxml.js';
import { loadPlanFile, parsePlan } from '../../src/routing/plan/load.js';
import type { RoutingContext } from '../../src/routing/types.js';
import { call, card, DAY, WED_10H as NOW, opts } from '../routing/plan/helpers.js';

const plan = loadPlanFile(new URL('../../routing.example.yaml', import.meta.url).pathname, opts);
const ivr = plan.ivr as NonNullable<typeof plan.ivr>;
const ctx = (
  ani: string,
  over: Partial<Omit<RoutingContext, 'ani' | 'dnis'>> = {},
  dnis = '01 40 00 00 00',
): RoutingContext => call({ callId: 'k1', ani, dnis, ...over });
const order = (a: IvrAnswer) => a.menu.options.map((o) => `${o.dtmf}:${o.id}`);

/** Parses a document with a strict XML parser; returns the elements met and the root's attributes. */
function parseXml(doc: string) {
  const parser = new SaxesParser({ xmlns: true });
  const elements: Array<{ name: string; attributes: Record<string, string>; text: string }> = [];
  const open: Array<(typeof elements)[number]> = [];
  parser.on('opentag', (t) => {
    const e = {
      name: t.local,
      attributes: Object.fromEntries(Object.entries(t.attributes).map(([k, v]) => [k, v.value])),
      text: '',
    };
    elements.push(e);
    open.push(e);
  });
  parser.on('closetag', () => {
    open.pop();
  });
  parser.on('text', (t) => {
    const top = open.at(-1);
    if (top) top.text += t;
  });
  parser.write(doc).close();
  return elements;
}

describe('IVR decisions', () => {
  it('speaks French to a French mobile, in the main menu order, with the default greeting', () => {
    const a = ivr.decide(ctx('06 12 34 56 78'));
    expect(a).toMatchObject({ language: 'fr-FR', greeting: 'welcome', menu: { id: 'main' } });
    expect(order(a)).toEqual(['1:sales', '2:after-sales', '3:support']);
    expect(a.menu.options[1]?.label).toBe('Service après-vente');
  });

  it('speaks English to a US number, with English labels', () => {
    const a = ivr.decide(ctx('+1 212 555 0100'));
    expect(a.language).toBe('en-US');
    expect(a.menu.options.map((o) => o.label)).toEqual(['Sales', 'After-sales service', 'Support']);
    expect(a.reasons[0]).toContain('from US');
  });

  it('gives a withheld or malformed caller the line defaults', () => {
    for (const ani of ['anonymous', '', '+++', 'x'.repeat(60)]) {
      const a = ivr.decide(ctx(ani));
      expect(a).toMatchObject({ language: 'fr-FR', greeting: 'welcome' });
      expect(order(a)).toEqual(['1:sales', '2:after-sales', '3:support']);
    }
    // The campaign line has its own menu.
    expect(ivr.decide(ctx('anonymous', {}, '0800 123 456')).menu.id).toBe('campaign');
  });

  it('brings after-sales first for a recent buyer, keeping each option its key', () => {
    const buyer = card({ recentPurchases: [{ id: 'p', sku: 'TV-55', purchasedAt: NOW - 3 * DAY }] });
    const a = ivr.decide(ctx('06 12 34 56 78', { customer: buyer }));
    expect(order(a)).toEqual(['2:after-sales', '1:sales', '3:support']);
    expect(a.greeting).toBe('welcome-back');
    expect(a.reasons).toContain('menu order: rule recent-buyers brings after-sales first');
    const old = card({ recentPurchases: [{ id: 'p', sku: 'TV-55', purchasedAt: NOW - 60 * DAY }] });
    expect(order(ivr.decide(ctx('06 12 34 56 78', { customer: old })))).toEqual([
      '1:sales',
      '2:after-sales',
      '3:support',
    ]);
  });

  it("greets a VIP with their greeting and prefers the customer's language over the number's", () => {
    expect(ivr.decide(ctx('06 12 34 56 78', { customer: card({ tier: 'vip' }) })).greeting).toBe(
      'vip-welcome',
    );
    const english = ivr.decide(ctx('06 12 34 56 78', { customer: card({ language: 'en' }) }));
    expect(english.language).toBe('en-US');
    // A preference the IVR has no prompts for falls back to the number's country.
    expect(ivr.decide(ctx('06 12 34 56 78', { customer: card({ language: 'it-IT' }) })).language).toBe(
      'fr-FR',
    );
  });

  it('maps a posted-back choice by key or id, and refuses bad menus with their line', () => {
    expect(ivr.choice('main', '2')).toMatchObject({ id: 'after-sales', skill: 'after-sales' });
    expect(ivr.choice('main', 'sales')).toMatchObject({ id: 'sales', queue: 'sales' });
    expect(ivr.choice('main', '7')).toBeUndefined();
    const bad = `skills: [s]
queues: [{ id: q, device: "1" }]
ivr:
  greetings: { tiers: { platinum: platinum-welcome } }
  menus:
    main:
      options:
        - { id: a, dtmf: "1", queue: nope }
        - { id: b, dtmf: "1" }
  ordering:
    - { name: r, when: { customer: { tier: gold } }, first: [zz] }
`;
    let message = '';
    try {
      parsePlan(bad, 'routing.yaml', opts);
    } catch (e) {
      if (isRelaisError(e, 'RELAIS_ERR_ROUTING_PLAN')) message = e.message;
    }
    expect(message).toContain('routing.yaml:4: ivr.greetings.tiers.platinum: unknown tier "platinum"');
    expect(message).toContain('routing.yaml:8: ivr.menus.main.options.0.queue: unknown queue "nope"');
    expect(message).toContain(
      'routing.yaml:9: ivr.menus.main.options.1.dtmf: key 1 is used twice in menu "main"',
    );
    expect(message).toContain('unknown tier "gold"');
    expect(message).toContain('no menu has an option "zz"');
  });
});

describe('VoiceXML', () => {
  it('renders the entry menu well-formed, with xml:lang and the options in the decided order', () => {
    const buyer = card({ recentPurchases: [{ id: 'p', sku: 'TV', purchasedAt: NOW - DAY }] });
    const a = ivr.decide(ctx('+1 212 555 0100', { customer: buyer }));
    const doc = entryDocument(a, (id) => `choice.vxml?callId=k1&option=${id}&token=t<&>"`);
    const elements = parseXml(doc);
    const root = elements[0];
    expect(root).toMatchObject({ name: 'vxml', attributes: { version: '2.1', 'xml:lang': 'en-US' } });
    const choices = elements.filter((e) => e.name === 'choice');
    expect(choices.map((c) => [c.attributes.dtmf, c.text])).toEqual([
      ['2', 'After-sales service'],
      ['1', 'Sales'],
      ['3', 'Support'],
    ]);
    expect(choices[0]?.attributes.next).toBe('choice.vxml?callId=k1&option=after-sales&token=t<&>"');
    const audio = elements.filter((e) => e.name === 'audio').map((e) => e.attributes.src);
    expect(audio[0]).toBe('https://ivr.example/prompts/en-US/welcome-back.wav');
  });

  it('escapes every value, and transfers to the route point after the choice', () => {
    const a: IvrAnswer = {
      callId: 'x',
      language: 'fr-FR',
      greeting: 'a"b',
      menu: { id: 'm<1>', options: [{ id: 'o', dtmf: '1', label: `L'offre <spéciale> & "plus"\u0001` }] },
      reasons: [],
      promptBase: 'p',
    };
    const elements = parseXml(entryDocument(a, () => 'n?a=1&b=2'));
    expect(elements.find((e) => e.name === 'choice')?.text).toBe(`L'offre <spéciale> & "plus"`);
    const after = parseXml(choiceDocument('fr-FR', '3000'));
    expect(after.find((e) => e.name === 'transfer')?.attributes).toMatchObject({
      dest: 'tel:3000',
      bridge: 'false',
    });
    expect(parseXml(choiceDocument('fr-FR', undefined)).some((e) => e.name === 'exit')).toBe(true);
  });
});

describe('IVR decisions, finer points', () => {
  const custom = parsePlan(
    `queues: [{ id: q, device: "1" }]
default: { queue: q }
ivr:
  defaultLanguage: fr-FR
  supported: [fr-BE, fr-FR, en-US]
  lines:
    - { dnis: ["0800 000 001"], menu: short, defaultLanguage: en-US }
  greetings: { default: welcome, returning: welcome-back, tiers: { vip: vip-welcome } }
  texts:
    welcome: { fr-FR: Bonjour, en-US: Hello }
    main-menu: { fr-FR: "Faites votre choix" }
  menus:
    main:
      prompt: main-menu
      options:
        - { id: a, dtmf: "1", label: { fr-FR: Achats, en-US: Buying } }
        - { id: b, dtmf: "2", label: { fr-FR: Banque } }
        - { id: c, dtmf: "3" }
    short:
      options:
        - { id: c, dtmf: "1" }
        - { id: d, dtmf: "#" }
  ordering:
    - { name: about-b, when: { customer: { known: true } }, first: [b] }
    - { name: about-d, when: { customer: { known: true } }, first: [d, d] }
`,
    'routing.yaml',
    opts,
  ).ivr as NonNullable<typeof plan.ivr>;
  const paris = '01 40 00 00 00';

  it('greets as returning only a customer with history; an unknown tier or one named like a built-in is not special', () => {
    expect(custom.decide(ctx('0612345678', { customer: card() }))).toMatchObject({
      greeting: 'welcome',
      reasons: expect.arrayContaining(['greeting welcome: known customer, no history yet']),
    });
    const called = card({ recentInteractions: [{ id: 'i', at: NOW - DAY, channel: 'phone' }] });
    expect(custom.decide(ctx('0612345678', { customer: called })).greeting).toBe('welcome-back');
    expect(custom.decide(ctx('0612345678', { customer: card({ tier: 'constructor' }) })).greeting).toBe(
      'welcome',
    );
  });

  it('finds the closest supported language: spelling, the line default within a language, the number', () => {
    const lang = (language: string, ani = '0612345678', dnis = paris) =>
      custom.decide(ctx(ani, { customer: card({ language }) }, dnis)).language;
    expect(lang('FR_fr')).toBe('fr-FR');
    expect(lang('fr')).toBe('fr-FR'); // the IVR's default, not the first French listed
    expect(lang('fr-CA')).toBe('fr-FR');
    expect(lang('fr-BE')).toBe('fr-BE');
    expect(lang('en')).toBe('en-US');
    expect(lang('')).toBe('fr-FR'); // an empty preference is no preference: the number decides
    expect(lang('de-DE', '+32 470 12 34 56')).toBe('fr-BE'); // no German prompts: the Belgian number
    // A Swiss number: fr-CH has no prompts, French does.
    expect(custom.decide(ctx('+41 21 123 45 67')).language).toBe('fr-FR');
    // A withheld caller on the English line hears the line's language.
    expect(custom.decide(ctx('anonymous', {}, '0800 000 001'))).toMatchObject({
      language: 'en-US',
      reasons: expect.arrayContaining(["language en-US: the line's default"]),
    });
  });

  it('labels in the language, else one of the same language, else the default language, else the id', () => {
    const labels = (ani: string, language?: string) =>
      custom
        .decide(ctx(ani, { customer: language ? card({ language }) : null }))
        .menu.options.map((o) => o.label);
    expect(labels('0612345678')).toEqual(['Achats', 'Banque', 'c']);
    expect(labels('+1 212 555 0100')).toEqual(['Buying', 'Banque', 'c']);
    expect(labels('+32 470 12 34 56')).toEqual(['Achats', 'Banque', 'c']);
  });

  it('gives the TTS text of the greeting and the menu prompt in the language, else the default language', () => {
    expect(custom.decide(ctx('+1 212 555 0100'))).toMatchObject({
      greeting: 'welcome',
      greetingText: 'Hello',
      prompt: 'main-menu',
      promptText: 'Faites votre choix',
    });
    expect(custom.decide(ctx('0612345678')).greetingText).toBe('Bonjour');
  });

  it("skips an ordering rule about options the caller's menu does not have", () => {
    const known = { customer: card() };
    const main = custom.decide(ctx('0612345678', known));
    expect(main.menu.options.map((o) => o.id)).toEqual(['b', 'a', 'c']);
    const short = custom.decide(ctx('0612345678', known, '0800 000 001'));
    expect(short.menu.options.map((o) => `${o.dtmf}:${o.id}`)).toEqual(['#:d', '1:c']);
    expect(short.reasons).toContain('menu order: rule about-d brings d, d first');
    expect(custom.choice('short', '#')).toMatchObject({ id: 'd' });
    expect(custom.choice('constructor', '1')).toBeUndefined();
    expect(custom.choice('main', 'constructor')).toBeUndefined();
  });

  it('refuses a number given to two lines, two ordering rules of one name, and unsupported languages', () => {
    let message = '';
    try {
      parsePlan(
        `queues: [{ id: q, device: "1" }]
ivr:
  supported: [fr-FR]
  languages: { US: en-US }
  lines:
    - { dnis: ["0800 000 001"] }
    - { dnis: ["+33 800 000 001"], defaultLanguage: de-DE }
  menus: { main: { options: [{ id: a, dtmf: "1" }] } }
  ordering:
    - { name: r, when: { customer: { known: true } }, first: [a] }
    - { name: r, when: { customer: { known: false } }, first: [a] }
`,
        'routing.yaml',
        opts,
      );
    } catch (e) {
      if (isRelaisError(e, 'RELAIS_ERR_ROUTING_PLAN')) message = e.message;
    }
    expect(message).toContain('ivr.languages.US: language en-US is not in ivr.supported');
    expect(message).toContain(
      'routing.yaml:7: ivr.lines.1.dnis.0: +33800000001 is already the number of another line',
    );
    expect(message).toContain('ivr.lines.1.defaultLanguage: language de-DE is not in ivr.supported');
    expect(message).toContain('routing.yaml:11: ivr.ordering.1.name: duplicate ordering rule "r"');
  });
});

describe('VoiceXML, finer points', () => {
  const answer: IvrAnswer = {
    callId: 'x',
    language: 'fr-FR',
    greeting: 'welcome',
    greetingText: 'Bonjour \ud800',
    prompt: 'main-menu',
    menu: { id: '1st', options: [{ id: 'o', dtmf: '#', label: 'Autre\uffff' }] },
    reasons: [],
    promptBase: 'https://ivr.example/p',
  };
  const doc = entryDocument(answer, (id) => (id === undefined ? 'choice.vxml?none' : `choice.vxml?o=${id}`));

  it('speaks the TTS text when the audio is missing, drops characters XML cannot carry', () => {
    const elements = parseXml(doc);
    const audio = elements.filter((e) => e.name === 'audio');
    expect(audio.map((e) => [e.attributes.src, e.text])).toEqual([
      ['https://ivr.example/p/fr-FR/welcome.wav', 'Bonjour '],
      ['https://ivr.example/p/fr-FR/main-menu.wav', ''],
      ['https://ivr.example/p/fr-FR/option-o.wav', 'Autre : #'],
    ]);
  });

  it('gives the menu an XML id, and sends a caller who never chooses on without a choice', () => {
    const elements = parseXml(doc);
    expect(elements.find((e) => e.name === 'menu')?.attributes).toEqual({ id: 'menu-1st', dtmf: 'false' });
    const handler = elements.find((e) => e.name === 'catch');
    expect(handler?.attributes).toEqual({ event: 'noinput nomatch', count: '3' });
    expect(elements.find((e) => e.name === 'goto')?.attributes.next).toBe('choice.vxml?none');
  });
});
