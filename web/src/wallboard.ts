/** The supervisor wallboard: pushed over WebSocket, never polled. */
import { connect, fmtWait, h, type Message, savedToken } from './common.js';

interface Board {
  queues: Array<{
    id: string;
    waiting: number;
    longestWaitMs: number;
    serviceLevel: { percent: number | null; total: number; targetSeconds: number };
  }>;
  agents: {
    byState: Record<string, number>;
    list: Array<{ id: string; name?: string; state: string; reason?: string; callId?: string }>;
  };
  calls: Array<{
    id: string;
    state: string;
    caller: string;
    customerId?: string;
    agentId?: string;
    device?: string;
    queue?: string;
  }>;
}

const app = document.getElementById('app') as HTMLElement;
const token = savedToken();
let board: Board | undefined;
let status = 'connexion…';

function queuesTable(b: Board): HTMLElement {
  return h(
    'table',
    { 'data-testid': 'wb-queues' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'File'),
        h('th', {}, 'En attente'),
        h('th', {}, 'Plus longue attente'),
        h('th', {}, 'Niveau de service (30 min)'),
      ),
    ),
    h(
      'tbody',
      {},
      ...b.queues.map((q) =>
        h(
          'tr',
          { 'data-testid': `wb-queue-${q.id}` },
          h('td', {}, q.id),
          h('td', { 'data-testid': `wb-waiting-${q.id}` }, String(q.waiting)),
          h('td', {}, q.waiting ? fmtWait(q.longestWaitMs) : '—'),
          h(
            'td',
            {},
            q.serviceLevel.percent === null
              ? '—'
              : `${q.serviceLevel.percent} % en ${q.serviceLevel.targetSeconds} s (${q.serviceLevel.total} appels)`,
          ),
        ),
      ),
    ),
  );
}

function render(): void {
  if (!token) {
    app.replaceChildren(h('article', {}, h('p', {}, 'Ajoutez ?token=… à l’adresse (jeton de l’API).')));
    return;
  }
  const b = board;
  const agents = (x: Board) =>
    h(
      'article',
      {},
      h('h2', {}, 'Agents'),
      h(
        'p',
        { 'data-testid': 'wb-agent-states' },
        ...Object.entries(x.agents.byState).map(([s, n]) => h('span', {}, `${s} : ${n}  `)),
      ),
      h(
        'ul',
        {},
        ...x.agents.list.map((a) =>
          h(
            'li',
            {},
            `${a.name ?? a.id} — ${a.state}${a.reason ? ` (${a.reason})` : ''}${a.callId ? ' · en appel' : ''}`,
          ),
        ),
      ),
    );
  const calls = (x: Board) =>
    h(
      'article',
      {},
      h('h2', {}, `Appels en cours (${x.calls.length})`),
      h(
        'ul',
        { 'data-testid': 'wb-calls' },
        ...x.calls.map((c) =>
          h(
            'li',
            {},
            `${c.state} · ${c.caller}${c.agentId ? ` · ${c.agentId}` : ''}${c.device ? ` · ${c.device}` : ''}${c.customerId ? ' · client connu' : ''}`,
          ),
        ),
      ),
    );
  app.replaceChildren(
    h('h1', {}, 'Relais — tableau de bord ', h('small.muted', { 'data-testid': 'wb-status' }, status)),
    b
      ? h(
          'div',
          {},
          h('article', {}, h('h2', {}, 'Files'), queuesTable(b)),
          h('div', { class: 'grid' }, agents(b), calls(b)),
        )
      : h('p.muted', {}, 'En attente des données…'),
  );
}

if (token) {
  connect(
    '/ws/wallboard',
    { token },
    (m: Message) => {
      if (m.type === 'wallboard') board = m.payload as Board;
      render();
    },
    (s) => {
      status = s === 'connected' ? 'en direct' : 'reconnexion…';
      render();
    },
  );
}
render();
