/**
 * Broken bytes for robustness tests, to pass to `sendRaw()`: what a faulty switch or a damaged
 * link may put on the wire. Each is a complete payload as the client would receive it.
 */
import { encodeFrame, type Framing, UNSOLICITED_INVOKE_ID } from './frames.js';

export const malformed = {
  /** A header whose first bytes are not zero: the stream cannot be resynchronised. */
  badHeader(): Buffer {
    return Buffer.from([0x3c, 0x3f, 0x78, 0x6d, 0x6c, 0x20, 0x76, 0x65]);
  },

  /** A header that announces fewer bytes than the header itself. */
  shortLength(): Buffer {
    return Buffer.from([0, 0, 0, 4, 0x39, 0x39, 0x39, 0x39]);
  },

  /** A header whose invoke id is not four digits. */
  badInvokeId(): Buffer {
    const frame = encodeFrame('header', Buffer.from('<SystemStatus/>'), UNSOLICITED_INVOKE_ID);
    frame.write('99x9', 4, 'ascii');
    return frame;
  },

  /** A correctly framed document that is not well-formed XML. */
  brokenXml(framing: Framing): Buffer {
    return encodeFrame(
      framing,
      Buffer.from('<DeliveredEvent><monitorCrossRefID>1</monitor'),
      UNSOLICITED_INVOKE_ID,
    );
  },

  /** A correctly framed, well-formed document no CSTA edition defines. */
  unknownDocument(framing: Framing): Buffer {
    return encodeFrame(
      framing,
      Buffer.from('<?xml version="1.0"?><NoSuchEvent><x>1</x></NoSuchEvent>'),
      UNSOLICITED_INVOKE_ID,
    );
  },

  /** Bytes that are not UTF-8 inside a correct frame. */
  invalidUtf8(framing: Framing): Buffer {
    const body = Buffer.concat([
      Buffer.from('<SystemStatus><systemStatus>'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('</systemStatus></SystemStatus>'),
    ]);
    return encodeFrame(framing, body, UNSOLICITED_INVOKE_ID);
  },
};
