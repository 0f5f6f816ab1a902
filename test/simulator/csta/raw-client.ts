/**
 * A tiny CSTA XML client for the simulator's tests, written independently of the simulator (its
 * own framing and a regex reading of the documents), so that the tests check the wire, not the
 * simulator against itself.
 */
import net, { type Socket } from 'node:net';
import tls from 'node:tls';

export const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const APPL = 'http://www.ecma-international.org/standards/ecma-354/appl_session';

export type WireFraming = 'header' | 'nul';

export interface RawMessage {
  invokeId: string | undefined;
  xml: string;
  /** Local name of the root element. */
  root: string;
  /** monitorCrossRefID of an event (undefined for other documents). */
  monitor: string | undefined;
}

type Predicate = (m: RawMessage) => boolean;

export class RawClient {
  readonly messages: RawMessage[] = [];
  /** Bytes that did not start a valid frame (the rest of the stream is dropped with them). */
  readonly badFrames: Buffer[] = [];
  readonly closed: Promise<void>;
  private readonly taken = new Set<RawMessage>();
  private waiters: Array<{ pred: Predicate; resolve(m: RawMessage): void }> = [];
  private buf = Buffer.alloc(0);
  private nextInvoke = 1;

  constructor(
    readonly socket: Socket,
    readonly framing: WireFraming = 'header',
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async connect(opts: {
    port: number;
    host?: string;
    framing?: WireFraming;
    tls?: tls.ConnectionOptions;
  }): Promise<RawClient> {
    const host = opts.host ?? '127.0.0.1';
    const socket = opts.tls
      ? tls.connect({ host, port: opts.port, ...opts.tls })
      : net.connect({ host, port: opts.port });
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket, opts.framing);
  }

  /** Bytes buffered that do not make a whole frame yet. */
  get pending(): number {
    return this.buf.length;
  }

  /** Frames and sends a document; returns the invoke id used. */
  send(xml: string, invokeId = String(this.nextInvoke++ % 9999).padStart(4, '0')): string {
    const body = Buffer.from(xml, 'utf8');
    if (this.framing === 'nul') {
      this.socket.write(Buffer.concat([body, Buffer.from([0])]));
    } else {
      const head = Buffer.alloc(8);
      head.writeUInt16BE(body.length + 8, 2);
      head.write(invokeId, 4, 'ascii');
      this.socket.write(Buffer.concat([head, body]));
    }
    return invokeId;
  }

  /** Sends a request and waits for its answer (same invoke id; with NUL framing, the next non-event). */
  async request(xml: string, timeoutMs = 2000): Promise<RawMessage> {
    const id = this.send(xml);
    if (this.framing === 'header') return this.take((m) => m.invokeId === id, timeoutMs);
    return this.take(
      (m) =>
        !m.root.endsWith('Event') &&
        !['RouteRequest', 'RouteEnd', 'RouteUsed', 'SystemStatus'].includes(m.root),
      timeoutMs,
    );
  }

  /** The first message not taken yet that matches (a root name or a predicate), now or later. */
  take(match: string | Predicate, timeoutMs = 2000): Promise<RawMessage> {
    const pred: Predicate = typeof match === 'string' ? (m) => m.root === match : match;
    const found = this.messages.find((m) => !this.taken.has(m) && pred(m));
    if (found) {
      this.taken.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (m: RawMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.messages.map((m) => m.root).join(', ');
        reject(new Error(`no matching message within ${timeoutMs} ms (received: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Messages received so far that match. */
  all(match: string | Predicate): RawMessage[] {
    const pred: Predicate = typeof match === 'string' ? (m) => m.root === match : match;
    return this.messages.filter(pred);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      let invokeId: string | undefined;
      let body: Buffer;
      if (this.framing === 'nul') {
        const end = this.buf.indexOf(0);
        if (end < 0) return;
        body = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end + 1);
      } else {
        if (this.buf.length < 8) return;
        const total = this.buf.readUInt16BE(2);
        if (this.buf[0] !== 0 || this.buf[1] !== 0 || total < 8) {
          this.badFrames.push(this.buf);
          this.buf = Buffer.alloc(0);
          return;
        }
        if (this.buf.length < total) return;
        invokeId = this.buf.toString('ascii', 4, 8);
        body = this.buf.subarray(8, total);
        this.buf = this.buf.subarray(total);
      }
      this.receive(invokeId, body.toString('utf8'));
    }
  }

  private receive(invokeId: string | undefined, xml: string): void {
    const root = /<(?:[\w.-]+:)?([\w.-]+)[\s>/]/.exec(xml.replace(/^<\?xml[^>]*\?>/, ''))?.[1] ?? '?';
    const monitor = root.endsWith('Event') ? tag(xml, 'monitorCrossRefID') : undefined;
    const m: RawMessage = { invokeId, xml, root, monitor };
    this.messages.push(m);
    const w = this.waiters.find((x) => x.pred(m));
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      this.taken.add(m);
      w.resolve(m);
    }
  }
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Inner XML of the first `<name>` element (any prefix), entities kept. */
export function inner(xml: string | undefined, name: string): string | undefined {
  if (xml === undefined) return undefined;
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`).exec(xml);
  return m?.[1];
}

/** Text of the first `<name>` element, entities decoded. */
export function tag(xml: string | undefined, name: string): string | undefined {
  const v = inner(xml, name);
  return v === undefined ? undefined : decodeEntities(v);
}

/** A device choice: the deviceIdentifier text, or the name of the empty choice (`restricted`…). */
export function device(xml: string | undefined, name: string): string | undefined {
  const body = inner(xml, name);
  if (body === undefined) return undefined;
  const id = tag(body, 'deviceIdentifier');
  if (id !== undefined) return id;
  return /<(?:[\w.-]+:)?(\w+)\s*\/>/.exec(body)?.[1];
}

/** A ConnectionID as `callID@deviceID`. */
export function connection(xml: string | undefined, name: string): string | undefined {
  const body = inner(xml, name);
  return body === undefined ? undefined : `${tag(body, 'callID')}@${tag(body, 'deviceID')}`;
}

// ── Requests a CTI server sends ───────────────────────────────────────────────────────────────

export function startSession(opts: { versions?: string[]; duration?: number } = {}): string {
  const versions = (opts.versions ?? [ED3]).map((v) => `<protocolVersion>${v}</protocolVersion>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><StartApplicationSession xmlns="${APPL}"><applicationInfo><applicationID>RawClient</applicationID></applicationInfo><requestedProtocolVersions>${versions}</requestedProtocolVersions><requestedSessionDuration>${opts.duration ?? 180}</requestedSessionDuration></StartApplicationSession>`;
}

export function monitorStart(deviceId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><MonitorStart xmlns="${ED3}"><monitorObject><deviceObject>${deviceId}</deviceObject></monitorObject></MonitorStart>`;
}

export function monitorStop(crossRefId: string): string {
  return `<MonitorStop xmlns="${ED3}"><monitorCrossRefID>${crossRefId}</monitorCrossRefID></MonitorStop>`;
}

export function routeRegister(deviceId?: string): string {
  const dev = deviceId === undefined ? '' : `<routeingDevice>${deviceId}</routeingDevice>`;
  return `<RouteRegister xmlns="${ED3}">${dev}</RouteRegister>`;
}

export function routeSelect(
  crossRefId: string,
  regId: string,
  selected: string,
  routeUsedReq = false,
): string {
  return `<RouteSelect xmlns="${ED3}"><crossRefIdentifier>${crossRefId}</crossRefIdentifier><routeRegisterReqID>${regId}</routeRegisterReqID><routeSelected>${selected}</routeSelected><routeUsedReq>${routeUsedReq}</routeUsedReq></RouteSelect>`;
}

/** Starts a session and monitors each device; returns the monitorCrossRefID of each device. */
export async function setUp(
  client: RawClient,
  devices: string[],
  sessionOptions: { versions?: string[] } = {},
): Promise<Record<string, string>> {
  const session = await client.request(startSession(sessionOptions));
  if (session.root !== 'StartApplicationSessionPosResponse')
    throw new Error(`session refused: ${session.xml}`);
  const ids: Record<string, string> = {};
  for (const d of devices) {
    const r = await client.request(monitorStart(d));
    const id = tag(r.xml, 'monitorCrossRefID');
    if (r.root !== 'MonitorStartResponse' || id === undefined)
      throw new Error(`monitor on ${d} refused: ${r.xml}`);
    ids[d] = id;
  }
  return ids;
}

/** Names of the events received for one monitor, in order. */
export function eventsOf(client: RawClient, monitorId: string | undefined): string[] {
  return client.messages
    .filter((m) => m.monitor === monitorId && m.root.endsWith('Event'))
    .map((m) => m.root);
}
