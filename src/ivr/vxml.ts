/**
 * VoiceXML 2.1 documents (W3C Recommendation, 19 June 2007, on VoiceXML 2.0): the entry menu in
 * the caller's language and order, and the answer to their choice (a transfer to the route point
 * that then asks Relais for the agent). Pure: strings in, a document out, every value escaped.
 */
import type { IvrAnswer } from './decide.js';

const NS = 'http://www.w3.org/2001/vxml';

/** XML 1.0 §2.2: C0 controls other than tab, LF and CR are not allowed in a document at all. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** XML 1.0 §2.4: the five characters with a meaning in content and attribute values. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(XML_FORBIDDEN, '');
}

function audio(base: string, language: string, prompt: string, text: string): string {
  const src = `${base}/${encodeURIComponent(language)}/${encodeURIComponent(prompt)}.wav`;
  // VoiceXML 2.0 §4.1.3: the content of <audio> is played when the file cannot be fetched.
  return `<audio src="${xmlEscape(src)}">${xmlEscape(text)}</audio>`;
}

/**
 * The entry menu (VoiceXML 2.0 §2.2 <menu>): greeting, then each option's prompt in the decided
 * order; DTMF keys are the options' own. `choiceUrl(optionId)` is where a choice is posted back.
 */
export function entryDocument(a: IvrAnswer, choiceUrl: (optionId: string) => string): string {
  const prompts = [
    audio(a.promptBase, a.language, a.greeting, ''),
    ...(a.prompt ? [audio(a.promptBase, a.language, a.prompt, '')] : []),
    ...a.menu.options.map((o) => audio(a.promptBase, a.language, `option-${o.id}`, `${o.label} : ${o.dtmf}`)),
  ];
  const choices = a.menu.options.map(
    (o) =>
      `    <choice dtmf="${xmlEscape(o.dtmf)}" next="${xmlEscape(choiceUrl(o.id))}">${xmlEscape(o.label)}</choice>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<vxml version="2.1" xmlns="${NS}" xml:lang="${xmlEscape(a.language)}">
  <menu id="${xmlEscape(a.menu.id)}" dtmf="false">
    <prompt>${prompts.join('')}</prompt>
${choices.join('\n')}
    <noinput count="3"><exit/></noinput>
    <noinput><reprompt/></noinput>
    <nomatch><reprompt/></nomatch>
  </menu>
</vxml>
`;
}

/** After the choice: transfer to the route point (VoiceXML 2.0 §2.3.7 <transfer>), or end. */
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
