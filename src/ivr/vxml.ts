/**
 * VoiceXML 2.1 documents (W3C Recommendation, 19 June 2007, on VoiceXML 2.0): the entry menu in
 * the caller's language and order, and the answer to their choice (a transfer to the route point
 * that then asks Relais for the agent). Pure: strings in, a document out, every value escaped.
 */
import type { IvrAnswer } from './decide.js';

const NS = 'http://www.w3.org/2001/vxml';

/**
 * XML 1.0 §2.2: C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and unpaired surrogates are
 * not allowed in a document at all, even escaped.
 */
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** XML 1.0 §2.4: the five characters with a meaning in content and attribute values. */
export function xmlEscape(s: string): string {
  return s
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function audio(base: string, language: string, prompt: string, text: string | undefined): string {
  const src = `${base}/${encodeURIComponent(language)}/${encodeURIComponent(prompt)}.wav`;
  // VoiceXML 2.0 §4.1.3: the content of <audio> is spoken when the file cannot be fetched or played;
  // empty content then plays nothing, without an error.
  return `<audio src="${xmlEscape(src)}">${xmlEscape(text ?? '')}</audio>`;
}

/**
 * The entry menu (VoiceXML 2.0 §2.2 <menu>): greeting, the menu's prompt, then each option's prompt
 * in the decided order; each <choice> carries its option's own DTMF key (§2.2.2), so `dtmf="false"`
 * on the menu: the keys must not follow the position. `choiceUrl(optionId)` is where a choice goes;
 * `choiceUrl()` (no option) is where a caller who never chooses goes after three tries: on to the
 * route point without a choice, rather than being hung up on.
 */
export function entryDocument(a: IvrAnswer, choiceUrl: (optionId?: string) => string): string {
  const prompts = [
    audio(a.promptBase, a.language, a.greeting, a.greetingText),
    ...(a.prompt ? [audio(a.promptBase, a.language, a.prompt, a.promptText)] : []),
    ...a.menu.options.map((o) => audio(a.promptBase, a.language, `option-${o.id}`, `${o.label} : ${o.dtmf}`)),
  ];
  // The choice's content is its phrase for speech recognition (§2.2.2), in the document's xml:lang.
  const choices = a.menu.options.map(
    (o) =>
      `    <choice dtmf="${xmlEscape(o.dtmf)}" next="${xmlEscape(choiceUrl(o.id))}">${xmlEscape(o.label)}</choice>`,
  );
  // §2.2 / §5.2.4: the handler with the highest count not above the event's counter is the one run.
  return `<?xml version="1.0" encoding="UTF-8"?>
<vxml version="2.1" xmlns="${NS}" xml:lang="${xmlEscape(a.language)}">
  <menu id="${xmlEscape(menuElementId(a.menu.id))}" dtmf="false">
    <prompt>${prompts.join('')}</prompt>
${choices.join('\n')}
    <noinput><reprompt/></noinput>
    <nomatch><reprompt/></nomatch>
    <catch event="noinput nomatch" count="3"><goto next="${xmlEscape(choiceUrl())}"/></catch>
  </menu>
</vxml>
`;
}

/** The menu's `id` is an XML ID (an NCName): a plan id may start with a digit, an NCName may not. */
function menuElementId(id: string): string {
  return `menu-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/**
 * After the choice: a blind transfer to the route point (VoiceXML 2.0 §2.3.7 <transfer>,
 * `bridge="false"`; VoiceXML 2.1 §6 allows `type="blind"` instead, but not both), whose PBX then
 * asks Relais where the call goes; or the end of the dialogue when no route point is set, for a
 * platform that continues with its own application.
 */
export function choiceDocument(language: string, transferTo: string | undefined): string {
  const body =
    transferTo === undefined
      ? '<block><exit/></block>'
      : `<transfer name="route" dest="tel:${xmlEscape(transferTo)}" bridge="false"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<vxml version="2.1" xmlns="${NS}" xml:lang="${xmlEscape(language)}">
  <form id="after-menu">${body}</form>
</vxml>
`;
}
