/**
 * The framings a CSTA link can be configured with, by name. A new framing is one file that
 * implements `Framing` (see types.ts) and one line here.
 */
import { headerFraming } from './header.js';
import { nulFraming } from './nul.js';
import type { Framing } from './types.js';

export const FRAMINGS = Object.freeze({
  header: headerFraming,
  nul: nulFraming,
} satisfies Record<string, Framing>);

export type FramingName = keyof typeof FRAMINGS;

/** The framing called `name`, or undefined (never an inherited property such as `toString`). */
export function framingByName(name: string): Framing | undefined {
  return Object.hasOwn(FRAMINGS, name) ? FRAMINGS[name as FramingName] : undefined;
}

export { HEADER_BYTES, headerFraming, MAX_HEADER_FRAME_BYTES, MAX_HEADER_PAYLOAD_BYTES } from './header.js';
export { nulFraming } from './nul.js';
export type { Frame, FrameDecoder, FrameResult, Framing, FramingError, FramingErrorCode } from './types.js';
export { UNSOLICITED_INVOKE_ID } from './types.js';
