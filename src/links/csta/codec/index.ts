/** ECMA-323 codec: typed CSTA messages ⇄ XML documents, and device identifiers → raw numbers. */

export {
  DEFAULT_DECODE_LIMITS,
  type DecodeErrorCode,
  type DecodeOptions,
  type DecodeResult,
  decodeCsta,
} from './decode.js';
export { deviceKey, displayNameOf, rawNumberOf } from './device-id.js';
export { type EncodeOptions, encodeCsta } from './encode.js';
export {
  APPL_SESSION_NAMESPACE,
  CSTA_NAMESPACES,
  type CstaEdition,
  DEFAULT_CSTA_NAMESPACE,
} from './namespaces.js';
