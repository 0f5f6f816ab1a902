/**
 * One CSTA association over one byte stream: framing, ECMA-323 documents, invoke ids.
 * No sockets here (the link hands a connected stream), so it is tested over any Duplex.
 *
 * MUST-rules:
 * 1. Every request gets a fresh invoke id (0001–9998, cyclic, skipping ids in use); its promise
 *    settles exactly once: the matching response, a `CSTAErrorCode` (rejects with CstaError), the
 *    request timeout, or the end of the stream.
 * 2. Frames without an invoke id (NUL framing) match the oldest pending request.
 * 3. A bad frame or a bad document is reported and dropped; the session goes on. Only a framing
 *    error that loses the stream's sync ends it.
 * 4. A peer that stops reading (our unsent bytes above `maxWriteBufferBytes`) ends the session.
 * 5. Unsolicited messages (events, the switch's own requests) go to `onMessage` in arrival order.
 */
import type { Duplex } from 'node:stream';
import { RelaisError } from '../../errors.js';
import { decodeCsta, encodeCsta } from './codec/index.js';
import type { FrameDecoder, Framing } from './framing/types.js';
import { UNSOLICITED_INVOKE_ID } from './framing/types.js';
import type { CstaMessage } from './messages.js';

export type SessionProblem =
  | { kind: 'framing'; code: string; message: string; fatal: boolean }
  | { kind: 'document'; code: string; message: string }
  | { kind: 'unmatched-response'; type: string; invokeId: string | undefined }
  /** The switch refused a message we sent without waiting (a RouteSelect after the dialogue ended). */
  | { kind: 'refused'; type: string; invokeId: string; code: string }
  | { kind: 'peer-not-reading'; bufferedBytes: number }
  | { kind: 'handler'; type: string; message: string };

export interface CstaSessionOptions {
  framing: Framing;
  maxFrameBytes: number;
  /** ECMA-323 namespace of the documents we send. */
  namespace: string;
  requestTimeoutMs: number;
  /** Above this many unsent bytes the peer is considered gone. */
  maxWriteBufferBytes?: number;
  onMessage: (msg: CstaMessage, invokeId: string | undefined) => void;
  onProblem: (p: SessionProblem) => void;
  /** Counts documents in and out (for metrics). */
  onTraffic?: (direction: 'in' | 'out', type: string) => void;
}

/** A negative answer from the switch (ECMA-269 §9.3 CSTAErrorCode). */
export class CstaError extends Error {
  constructor(
    readonly category: string,
    readonly value: string,
    readonly request: string,
  ) {
    super(`${request} refused by the switch: ${category}/${value}`);
    this.name = 'CstaError';
  }
}

interface Pending {
  request: string;
  resolve: (m: CstaMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const MAX_INVOKE_ID = 9998;
/** Messages sent without waiting whose invoke ids are remembered, to name what an error answers. */
const REMEMBERED_SENDS = 1024;

export class CstaSession {
  readonly #stream: Duplex;
  readonly #opts: CstaSessionOptions;
  readonly #decoder: FrameDecoder;
  readonly #pending = new Map<string, Pending>();
  readonly #sent = new Map<string, string>();
  #nextInvokeId = 1;
  #closedWith: Error | undefined;
  readonly closed: Promise<Error | undefined>;

  constructor(stream: Duplex, opts: CstaSessionOptions) {
    this.#stream = stream;
    this.#opts = opts;
    this.#decoder = opts.framing.createDecoder({ maxFrameBytes: opts.maxFrameBytes });
    this.closed = new Promise((resolve) => {
      const end = (err?: Error) => {
        if (this.#closedWith) return;
        this.#closedWith = err ?? new Error('connection closed');
        this.#failAll(this.#closedWith);
        resolve(err);
      };
      stream.on('error', (err: Error) => end(err));
      stream.on('close', () => end());
      stream.on('end', () => end());
    });
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  get isOpen(): boolean {
    return this.#closedWith === undefined;
  }

  get pendingRequests(): number {
    return this.#pending.size;
  }

  /** Sends a request and resolves with its response (rule 1). */
  request(msg: CstaMessage, timeoutMs = this.#opts.requestTimeoutMs): Promise<CstaMessage> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    const invokeId = this.#allocateInvokeId();
    return new Promise<CstaMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(invokeId);
        reject(new RelaisError('RELAIS_ERR_LINK_TIMEOUT', `no answer to ${msg.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(invokeId, { request: msg.type, resolve, reject, timer });
      this.#write(msg, invokeId);
    });
  }

  /** Sends a message that expects no answer, or answers the switch with its own invoke id. */
  send(msg: CstaMessage, invokeId?: string): void {
    if (this.#closedWith) return;
    if (invokeId === undefined) {
      invokeId = this.#allocateInvokeId();
      this.#sent.delete(invokeId);
      this.#sent.set(invokeId, msg.type);
      if (this.#sent.size > REMEMBERED_SENDS) this.#sent.delete(this.#sent.keys().next().value as string);
    }
    this.#write(msg, invokeId);
  }

  close(reason = 'closed by Relais'): void {
    if (!this.#closedWith) this.#stream.destroy(new Error(reason));
  }

  #allocateInvokeId(): string {
    for (let i = 0; i < MAX_INVOKE_ID; i++) {
      const id = String(this.#nextInvokeId).padStart(4, '0');
      this.#nextInvokeId = this.#nextInvokeId >= MAX_INVOKE_ID ? 1 : this.#nextInvokeId + 1;
      if (!this.#pending.has(id)) return id;
    }
    throw new RelaisError('RELAIS_ERR_LINK_BUSY', 'every CSTA invoke id is in use');
  }

  #write(msg: CstaMessage, invokeId: string): void {
    const doc = Buffer.from(encodeCsta(msg, { namespace: this.#opts.namespace }), 'utf8');
    this.#stream.write(this.#opts.framing.encode(doc, invokeId));
    this.#opts.onTraffic?.('out', msg.type);
    const buffered = this.#stream.writableLength;
    const limit = this.#opts.maxWriteBufferBytes ?? 4 * 1024 * 1024;
    if (buffered > limit) {
      this.#opts.onProblem({ kind: 'peer-not-reading', bufferedBytes: buffered });
      this.close('the switch stopped reading');
    }
  }

  #onData(chunk: Buffer): void {
    for (const r of this.#decoder.push(chunk)) {
      if (!r.ok) {
        this.#opts.onProblem({
          kind: 'framing',
          code: r.error.code,
          message: r.error.message,
          fatal: r.error.fatal,
        });
        if (r.error.fatal) {
          this.close(`framing lost: ${r.error.message}`);
          return;
        }
        continue;
      }
      const decoded = decodeCsta(r.frame.payload);
      if (!decoded.ok) {
        this.#opts.onProblem({ kind: 'document', code: decoded.error.code, message: decoded.error.message });
        continue;
      }
      this.#opts.onTraffic?.('in', decoded.message.type);
      try {
        this.#dispatch(decoded.message, r.frame.invokeId);
      } catch (err) {
        // A failure in our own handling of one message must not cost the connection.
        this.#opts.onProblem({
          kind: 'handler',
          type: decoded.message.type,
          message: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  #dispatch(msg: CstaMessage, invokeId: string | undefined): void {
    if (isResponse(msg) && invokeId !== UNSOLICITED_INVOKE_ID) {
      const key = invokeId ?? this.#pending.keys().next().value;
      const p = key === undefined ? undefined : this.#pending.get(key);
      if (!p || key === undefined) {
        const sent = invokeId === undefined ? undefined : this.#sent.get(invokeId);
        if (sent !== undefined && invokeId !== undefined) {
          this.#sent.delete(invokeId);
          if (msg.type === 'CSTAErrorCode')
            this.#opts.onProblem({
              kind: 'refused',
              type: sent,
              invokeId,
              code: `${msg.category}/${msg.value}`,
            });
        } else this.#opts.onProblem({ kind: 'unmatched-response', type: msg.type, invokeId });
        return;
      }
      this.#pending.delete(key);
      clearTimeout(p.timer);
      if (msg.type === 'CSTAErrorCode') p.reject(new CstaError(msg.category, msg.value, p.request));
      else p.resolve(msg);
      return;
    }
    this.#opts.onMessage(msg, invokeId);
  }

  #failAll(err: Error): void {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.#pending.clear();
  }
}

function isResponse(msg: CstaMessage): boolean {
  return msg.type === 'CSTAErrorCode' || msg.type.endsWith('Response');
}
