/** The agent desktop: sign in at a device, set one's state, see the caller's card when a call rings, wrap up. */
import { api, connect, fmtDate, h, type Message, param, savedToken } from './common.js';

interface Agent {
  id: string;
  name?: string;
  state: string;
  device?: string;
  reason?: string;
}
interface Card {
  id: string;
  name: string;
  tier: string;
  language?: string;
  recentPurchases: Array<{ sku: string; label?: string; purchasedAt: number }>;
  recentInteractions: Array<{
    at: number;
    agentId?: string;
    disposition?: string;
    summary?: string;
    channel: string;
  }>;
}
interface Pop {
  callId: string;
  link: string;
  device: string;
  state: string;
  caller: { kind: string; number?: string; name?: string };
  dnis?: string;
  queue?: string;
  crmUrl?: string;
  ivrChoice?: { id: string; label: string };
  campaign?: { id: string; name: string };
  customer: Card | null;
}

const app = document.getElementById('app') as HTMLElement;
const STATE_LABEL: Record<string, string> = {
  alerting: 'sonne',
  connected: 'en ligne',
  held: 'en attente',
  cleared: 'terminé',
  failed: 'échoué',
  offered: 'arrive',
  queued: 'en file',
};

let token = savedToken();
let agent: Agent | undefined;
let device = param('device') ?? '';
let call: Pop | undefined;
let callState = '';
let status = 'déconnecté';
let stop: (() => void) | undefined;
let notice = '';

function render(): void {
  app.replaceChildren(agent === undefined && stop === undefined ? signIn() : desk());
}

function signIn(): HTMLElement {
  const agentInput = h('input', {
    name: 'agent',
    placeholder: 'alice',
    value: param('agent') ?? '',
    'data-testid': 'agent',
  }) as HTMLInputElement;
  const deviceInput = h('input', {
    name: 'device',
    placeholder: '2001',
    value: device,
    'data-testid': 'device',
  }) as HTMLInputElement;
  const tokenInput = h('input', {
    name: 'token',
    type: 'password',
    value: token,
    'data-testid': 'token',
  }) as HTMLInputElement;
  return h(
    'article',
    {},
    h('h1', {}, 'Relais — poste agent'),
    h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          token = tokenInput.value.trim();
          localStorage.setItem('relais.token', token);
          void start(agentInput.value.trim(), deviceInput.value.trim());
        },
      },
      h('label', {}, 'Agent', agentInput),
      h('label', {}, 'Poste (extension)', deviceInput),
      h('label', {}, 'Jeton', tokenInput),
      h('button', { type: 'submit', 'data-testid': 'sign-in' }, 'Se connecter'),
      notice ? h('p.muted', { 'data-testid': 'notice' }, notice) : undefined,
    ),
  );
}

async function start(agentId: string, at: string): Promise<void> {
  try {
    agent = await api<Agent>(
      token,
      'POST',
      `/agents/${encodeURIComponent(agentId)}/login`,
      at ? { device: at } : {},
    );
    device = agent.device ?? at;
  } catch (e) {
    const message = (e as Error).message;
    // Without a routing plan Relais has no agents: the desktop follows the extension alone.
    if (message.startsWith('no route for') && at) {
      agent = { id: agentId || at, state: '—' };
      device = at;
    } else {
      notice = message;
      agent = undefined;
      render();
      return;
    }
  }
  stop = connect('/ws/desktop', { device, token }, onMessage, (s) => {
    status = s === 'connected' ? 'connecté' : 'reconnexion…';
    render();
  });
  render();
}

/** The agent's state as the distributor has it (a call makes them busy, its end frees them). */
async function refreshAgent(): Promise<void> {
  if (!agent) return;
  try {
    const list = await api<{ items: Agent[] }>(token, 'GET', '/agents');
    agent = list.items.find((a) => a.id === agent?.id) ?? agent;
  } catch {
    // the next event tries again
  }
  render();
}

function onMessage(m: Message): void {
  if (m.type === 'call.offered' || m.type === 'call.state') void refreshAgent();
  if (m.type === 'call.offered') {
    call = m.payload as Pop;
    callState = call.state;
  } else if (m.type === 'call.state') {
    const p = m.payload as { callId: string; state: string };
    if (call && p.callId === call.callId) callState = p.state;
  }
  render();
}

async function setState(state: 'available' | 'away' | 'wrap_up', reason?: string): Promise<void> {
  if (!agent) return;
  try {
    agent = await api<Agent>(token, 'PUT', `/agents/${encodeURIComponent(agent.id)}/state`, {
      state,
      reason,
    });
  } catch (e) {
    notice = (e as Error).message;
  }
  render();
}

function desk(): HTMLElement {
  const reason = h(
    'select',
    { 'data-testid': 'away-reason' },
    h('option', {}, 'pause'),
    h('option', {}, 'réunion'),
    h('option', {}, 'formation'),
  ) as HTMLSelectElement;
  return h(
    'div',
    {},
    h(
      'nav',
      {},
      h('ul', {}, h('li', {}, h('strong', {}, agent?.name ?? agent?.id ?? ''), ` · poste ${device}`)),
      h(
        'ul',
        {},
        h('li', { 'data-testid': 'agent-state' }, h('span.state', {}, agent?.state ?? '')),
        h('li', {}, h('small.muted', { 'data-testid': 'link-status' }, status)),
      ),
    ),
    h(
      'div',
      { role: 'group' },
      h('button', { 'data-testid': 'available', onclick: () => void setState('available') }, 'Disponible'),
      reason,
      h(
        'button.secondary',
        { 'data-testid': 'away', onclick: () => void setState('away', reason.value) },
        'Absent',
      ),
      h('button.contrast', { onclick: () => void setState('wrap_up') }, 'Post-appel'),
    ),
    notice ? h('p.muted', {}, notice) : undefined,
    call
      ? callCard(call)
      : h('article', { 'data-testid': 'idle' }, h('p.muted', {}, 'En attente d’un appel…')),
  );
}

function callerLine(p: Pop): string {
  if (p.caller.kind === 'withheld') return 'Numéro masqué';
  if (p.caller.kind === 'unavailable' || p.caller.kind === 'unknown') return 'Numéro indisponible';
  return p.caller.number ?? '';
}

function callCard(p: Pop): HTMLElement {
  const c = p.customer;
  const header = h(
    'header',
    {},
    h('span.state', { 'data-testid': 'call-state' }, STATE_LABEL[callState] ?? callState),
    ` · ${callerLine(p)}`,
    p.dnis ? ` → ${p.dnis}` : '',
    p.campaign ? h('span', { 'data-testid': 'campaign' }, ` (${p.campaign.name})`) : undefined,
    p.queue ? ` · file ${p.queue}` : '',
    p.ivrChoice ? h('span', { 'data-testid': 'ivr-choice' }, ` · SVI : ${p.ivrChoice.label}`) : undefined,
  );
  const body = c
    ? h(
        'div',
        {},
        h(
          'h2',
          { 'data-testid': 'customer-name' },
          c.name,
          c.tier === 'vip' ? h('span.vip', { 'data-testid': 'vip-badge' }, 'VIP') : undefined,
        ),
        h('p', {}, `Langue : ${c.language ?? '—'}`),
        h('h3', {}, 'Achats récents'),
        c.recentPurchases.length === 0
          ? h('p.muted', {}, 'Aucun')
          : h(
              'ul',
              { 'data-testid': 'purchases' },
              ...c.recentPurchases.map((x) => h('li', {}, `${x.label ?? x.sku} — ${fmtDate(x.purchasedAt)}`)),
            ),
        h('h3', {}, 'Derniers échanges'),
        c.recentInteractions.length === 0
          ? h('p.muted', {}, 'Aucun')
          : h(
              'ul',
              { 'data-testid': 'interactions' },
              ...c.recentInteractions.map((x) =>
                h(
                  'li',
                  {},
                  `${fmtDate(x.at)} · ${x.agentId ?? '—'} · ${x.disposition ?? ''} ${x.summary ? `— ${x.summary}` : ''}`,
                ),
              ),
            ),
      )
    : unknownCaller(p);
  const crm = p.crmUrl
    ? h(
        'p',
        {},
        h(
          'a',
          { href: p.crmUrl, target: '_blank', rel: 'noopener', 'data-testid': 'crm-link' },
          'Ouvrir la fiche CRM',
        ),
      )
    : undefined;
  return h(
    `article.${c ? (c.tier === 'vip' ? 'card-vip' : 'card') : 'unknown'}`,
    { 'data-testid': 'call-card', 'data-call-id': p.callId },
    header,
    body,
    crm,
    callState === 'cleared' || callState === 'failed' ? wrapUp(p) : undefined,
  );
}

interface ApiCard {
  id: string;
  externalId?: string;
  name: string;
  phones: Array<{ e164: string; label?: string }>;
  tier: string;
  language?: string;
  email?: string;
  consent: Record<string, boolean>;
  attributes: Record<string, string | number | boolean>;
}

/** The card as the pop shows it, from the API's (dates as epoch ms). */
function asCard(
  c: ApiCard & {
    recentPurchases?: Array<{ sku: string; label?: string; purchasedAt: string }>;
    recentInteractions?: Array<{
      at: string;
      agentId?: string;
      disposition?: string;
      summary?: string;
      channel: string;
    }>;
  },
): Card {
  return {
    id: c.id,
    name: c.name,
    tier: c.tier,
    language: c.language,
    recentPurchases: (c.recentPurchases ?? []).map((x) => ({ ...x, purchasedAt: Date.parse(x.purchasedAt) })),
    recentInteractions: (c.recentInteractions ?? []).map((x) => ({ ...x, at: Date.parse(x.at) })),
  };
}

/** Adds the caller's number to an existing customer, found by id or by one of their numbers. */
async function linkTo(existing: string, number: string): Promise<Card> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(existing);
  const found = isId
    ? await api<ApiCard>(token, 'GET', `/customers/${existing}`)
    : (
        await api<{ customer: ApiCard | null }>(
          token,
          'GET',
          `/customers/lookup?number=${encodeURIComponent(existing)}`,
        )
      ).customer;
  if (!found) throw new Error(`aucun client pour ${existing}`);
  const updated = await api<ApiCard>(token, 'PUT', `/customers/${found.id}`, {
    ...(found.externalId ? { externalId: found.externalId } : {}),
    name: found.name,
    phones: [...found.phones.map((x) => ({ number: x.e164, label: x.label })), { number }],
    tier: found.tier,
    language: found.language,
    email: found.email,
    consent: found.consent,
    attributes: found.attributes,
  });
  return asCard(updated);
}

function unknownCaller(p: Pop): HTMLElement {
  const name = h('input', { placeholder: 'Nom du client', 'data-testid': 'new-name' }) as HTMLInputElement;
  const existing = h('input', {
    placeholder: 'Numéro ou identifiant d’un client existant',
    'data-testid': 'link-to',
  }) as HTMLInputElement;
  const number = p.caller.number;
  const done = (card: Card) => {
    if (call) call = { ...call, customer: card };
    render();
  };
  const failed = (err: unknown) => {
    notice = (err as Error).message;
    render();
  };
  return h(
    'div',
    { 'data-testid': 'unknown-card' },
    h('h2', {}, p.caller.kind === 'withheld' ? 'Appelant inconnu (numéro masqué)' : 'Appelant inconnu'),
    number ? h('p', {}, `Numéro : ${number}`) : undefined,
    number
      ? h(
          'form',
          {
            onsubmit: (e) => {
              e.preventDefault();
              api<ApiCard>(token, 'POST', '/customers', {
                name: name.value.trim(),
                phones: [{ number }],
              }).then((c) => done(asCard(c)), failed);
            },
          },
          h(
            'div',
            { role: 'group' },
            name,
            h('button', { type: 'submit', 'data-testid': 'create-customer' }, 'Créer le client'),
          ),
        )
      : undefined,
    number
      ? h(
          'form',
          {
            onsubmit: (e) => {
              e.preventDefault();
              linkTo(existing.value.trim(), number).then(done, failed);
            },
          },
          h(
            'div',
            { role: 'group' },
            existing,
            h('button.secondary', { type: 'submit', 'data-testid': 'link-customer' }, 'Lier à ce client'),
          ),
        )
      : undefined,
  );
}

function wrapUp(p: Pop): HTMLElement {
  const disposition = h(
    'select',
    { 'data-testid': 'disposition' },
    ...['info', 'sale', 'complaint', 'callback'].map((d) => h('option', { value: d }, d)),
  ) as HTMLSelectElement;
  const note = h('textarea', { placeholder: 'Note', 'data-testid': 'note' }) as HTMLTextAreaElement;
  return h(
    'form',
    {
      'data-testid': 'wrap-up',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          await api(token, 'POST', `/calls/${encodeURIComponent(p.callId)}/wrap-up`, {
            link: p.link,
            agentId: agent?.id,
            disposition: disposition.value,
            note: note.value || undefined,
          });
          notice = 'Post-appel enregistré.';
          call = undefined;
        } catch (err) {
          notice = (err as Error).message;
        }
        render();
      },
    },
    h('h3', {}, 'Post-appel'),
    disposition,
    note,
    h('button', { type: 'submit', 'data-testid': 'save-wrap-up' }, 'Enregistrer'),
  );
}

window.addEventListener('beforeunload', () => stop?.());
render();
