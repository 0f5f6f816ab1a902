/**
 * How CSTA XML documents are cut out of a TCP byte stream. The usual framing (ECMA-323 over TCP
 * as Unify, Alcatel and others implement it) puts an 8-byte header before each document; some
 * switches end each document with a NUL byte instead. A link picks one by name in its config.
 */

/** Invoke id of an unsolicited message (events, switch-initiated requests) in the 8-byte header. */
export const UNSOLICITED_INVOKE_ID = '9999';

export interface Frame {
  /** Four ASCII digits for the header framing; undefined for framings that carry none. */
  invokeId: string | undefined;
  payload: Buffer;
}

export type FramingErrorCode =
  /** The header is not two zero bytes, a length and four digits. */
  | 'bad-header'
  /** The length field is below the header size. */
  | 'bad-length'
  /** The frame (announced or accumulated) is larger than `maxFrameBytes`. */
  | 'too-long';

export interface FramingError {
  code: FramingErrorCode;
  message: string;
  /** When true the stream cannot be resynchronised and the connection must be reset. */
  fatal: boolean;
}

export type FrameResult = { ok: true; frame: Frame } | { ok: false; error: FramingError };

export interface FrameDecoder {
  /** Feeds bytes as they come from the socket; returns the frames (and errors) they completed. */
  push(chunk: Buffer): FrameResult[];
  /** Bytes held waiting for the rest of a frame (a peer that sends half a frame and goes silent). */
  readonly buffered: number;
}

export interface Framing {
  readonly name: string;
  createDecoder(opts: { maxFrameBytes: number }): FrameDecoder;
  /** Wraps one document. `invokeId` is four digits (`9999` unsolicited); ignored by framings without one. */
  encode(payload: Buffer, invokeId: string): Buffer;
}
