/** What both pages share: the token, API calls, a WebSocket that reconnects and resumes, and DOM helpers. */
import '@picocss/pico/css/pico.min.css';
import './style.css';

/** `h('div.card', {…}, children)`: a small element builder; text is always set as text, never HTML. */
export function h(
  tag: string,
  attrs: Record<string, string | boolean | ((e: Event) => void) | undefined> = {},
  ...children: Array<Node | string | undefined | false>
): HTMLElement {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length > 0) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

export function param(name: string): string | undefined {
  return new URLSearchParams(location.search).get(name) ?? undefined;
}

export function savedToken(): string {
  const t = param('token') ?? localStorage.getItem('relais.token') ?? '';
  if (t) localStorage.setItem('relais.token', t);
  return t;
}

export async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? undefined : await res.json();
  if (!res.ok)
    throw new Error((data as { error?: { message?: string } })?.error?.message ?? `HTTP ${res.status}`);
  return data as T;
}

export interface Message {
  channel?: string;
  seq?: number;
  type: string;
  payload?: unknown;
  reason?: string;
}

/**
 * A WebSocket that reconnects by itself (1 s, 2 s… up to 15 s) and resumes: the last sequence
 * number seen goes back as `after`, so what happened meanwhile is replayed.
 */
export function connect(
  path: string,
  params: Record<string, string>,
  onMessage: (m: Message) => void,
  onStatus: (s: string) => void,
): () => void {
  let last: number | undefined;
  let ws: WebSocket | undefined;
  let retry = 0;
  let stopped = false;
  const open = () => {
    const q = new URLSearchParams(params);
    if (last !== undefined) q.set('after', String(last));
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}?${q}`);
    ws.onopen = () => {
      retry = 0;
      onStatus('connected');
    };
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as Message;
      if (typeof m.seq === 'number') last = m.seq;
      onMessage(m);
    };
    ws.onclose = () => {
      if (stopped) return;
      onStatus('reconnecting');
      setTimeout(open, Math.min(15_000, 1000 * 2 ** retry++));
    };
  };
  open();
  return () => {
    stopped = true;
    ws?.close();
  };
}

export function fmtDate(ms: number): string {
  return new Date(ms).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
}

export function fmtWait(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
