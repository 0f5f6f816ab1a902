/**
 * The demo's world, generated from a seed so every run looks the same: a few hundred customers
 * (VIPs, several languages, purchases and past calls), agents and a routing plan.
 */
import type { CustomerInput } from '../customers/directory.js';

/** xorshift32: a small deterministic generator (demo data only). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Camille',
  'Louis',
  'Chloé',
  'Hugo',
  'Léa',
  'Gabriel',
  'Manon',
  'Jules',
  'Inès',
  'Lucas',
  'Emma',
  'Nathan',
];
const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
];
const FOREIGN = [
  { first: 'Oliver', last: 'Smith', prefix: '+44 7911 123', language: 'en-GB' },
  { first: 'Hannah', last: 'Müller', prefix: '+49 151 2345 6', language: 'de-DE' },
  { first: 'Lucía', last: 'García', prefix: '+34 612 345 ', language: 'es-ES' },
  { first: 'Emily', last: 'Johnson', prefix: '+1 415 555 0', language: 'en-US' },
];
const PRODUCTS = [
  { sku: 'TV-55', label: 'Téléviseur 55"', cents: 79900 },
  { sku: 'PHONE-X', label: 'Smartphone X', cents: 99900 },
  { sku: 'BOX-FIBRE', label: 'Box fibre', cents: 3999 },
  { sku: 'WARRANTY-2Y', label: 'Garantie 2 ans', cents: 4900 },
];
const DISPOSITIONS = ['info', 'sale', 'complaint', 'open'];
const DAY = 86_400_000;

export interface DemoCustomer {
  input: CustomerInput & { externalId: string };
  purchases: Array<{
    sku: string;
    label: string;
    amountCents: number;
    currency: string;
    purchasedAt: number;
  }>;
  interactions: Array<{ at: number; channel: string; agentId: string; summary: string; disposition: string }>;
}

export function demoCustomers(count: number, now: number, seed = 7): DemoCustomer[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const out: DemoCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const foreign = i % 10 === 9 ? pick(FOREIGN) : undefined;
    // 06 12 34 xx xx: a block libphonenumber knows as French mobiles.
    const mobile = `06 12 ${String(340000 + i).padStart(6, '0')}`;
    const number = foreign ? `${foreign.prefix}${String(100 + i).slice(-3)}` : mobile;
    const name = foreign ? `${foreign.first} ${foreign.last}` : `${pick(FIRST)} ${pick(LAST)}`;
    const purchases = Array.from({ length: Math.floor(r() * 3) }, () => {
      const p = pick(PRODUCTS);
      return {
        sku: p.sku,
        label: p.label,
        amountCents: p.cents,
        currency: 'EUR',
        purchasedAt: now - Math.floor(r() * 90) * DAY,
      };
    });
    const interactions = Array.from({ length: Math.floor(r() * 3) }, () => ({
      at: now - Math.floor(r() * 60) * DAY - Math.floor(r() * DAY),
      channel: 'phone',
      agentId: pick(['alice', 'bruno', 'chloe', 'david']),
      summary: pick(['Question sur la facture', 'Suivi de livraison', 'Panne de box', 'Changement d’offre']),
      disposition: pick(DISPOSITIONS),
    }));
    out.push({
      input: {
        externalId: `demo-${i + 1}`,
        name,
        phones: [{ number, label: 'mobile' }],
        tier: i % 8 === 0 ? 'vip' : 'standard',
        language: foreign?.language ?? 'fr-FR',
        email: `${name
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]+/g, '.')}@example.com`,
        consent: { marketing: r() < 0.4, recording: true },
        attributes: {
          segment: pick(['particulier', 'pro']),
          city: pick(['Paris', 'Lyon', 'Rennes', 'Lille', 'Nice']),
        },
      },
      purchases,
      interactions,
    });
  }
  return out;
}

/** Extensions of the demo agents; the simulator's agent devices. */
export const DEMO_AGENTS = [
  { id: 'alice', name: 'Alice Martin', device: '2001', skills: '{ support: 3, senior: 1, sales: 1 }' },
  { id: 'bruno', name: 'Bruno Leroy', device: '2002', skills: '{ support: 2 }' },
  { id: 'chloe', name: 'Chloé Petit', device: '2003', skills: '{ sales: 3, support: 1 }' },
  { id: 'david', name: 'David Moreau', device: '2004', skills: '{ sales: 2, senior: 1 }' },
] as const;

export const DEMO_DNIS = { support: '0800 100 200', sales: '0800 123 456' } as const;

export const DEMO_PLAN = `# The demo's routing plan (relais demo). See docs/routing.md.
match: first
timezone: Europe/Paris
skills: [support, sales, senior]
queues:
  - { id: support, name: Assistance, device: "3001", skills: [support], overflow: { afterSeconds: 20, to: sales } }
  - { id: sales, name: Ventes, device: "3002", skills: [sales] }
agents:
${DEMO_AGENTS.map((a) => `  - { id: ${a.id}, name: ${a.name}, device: "${a.device}", skills: ${a.skills} }`).join('\n')}
acd: { ageing: { pointsPerSecond: 1, maxWaitSeconds: 60 }, preferredAgentWaitSeconds: 5, wrapUpSeconds: 5 }
rules:
  - name: vip
    when: { customer: { tier: vip } }
    then: { queue: support, priority: 100, skills: [senior], preferLastAgent: true, message: vip-greeting }
  - name: spring-campaign
    when: { dnis: { exact: "${DEMO_DNIS.sales}" } }
    then: { queue: sales, priority: 10 }
default: { queue: support }
`;
