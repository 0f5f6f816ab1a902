/**
 * The agent desktop and the wallboard in a real browser (Debian's Chromium, headless, driven by
 * playwright-core), against Relais built as `relais start` builds it and the CSTA simulator.
 * Takes the screenshots shown in README.md (`RELAIS_UPDATE_SCREENSHOTS=1 npx vitest run test/e2e/browser.test.ts`).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelais, type Relais } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { wrapUpsOf } from '../../src/history/wrap-ups.js';
import { CstaSimulator } from '../../src/simulator/csta/index.js';
import { linkReady } from '../helpers/simulator.js';

const CHROMIUM = '/usr/bin/chromium';
// The README's screenshots: refreshed with RELAIS_UPDATE_SCREENSHOTS=1, else taken into a
// temporary directory (so that a test run leaves the working tree as it found it).
const SHOTS =
  process.env.RELAIS_UPDATE_SCREENSHOTS === '1'
    ? new URL('../../docs/screenshots/', import.meta.url).pathname
    : mkdtempSync(path.join(tmpdir(), 'relais-shots-'));

const sim = new CstaSimulator({
  identifiers: 'unify',
  replyTimeoutMs: 20_000,
  devices: {
    agents: ['2001', '2002'],
    acdGroups: [{ id: '3001' }],
    routePoints: [{ id: '3000', defaultRoute: '3001' }],
  },
});

const PLAN = `skills: [support, senior]
queues: [{ id: support, name: Assistance, device: "3001", skills: [support] }]
agents:
  - { id: alice, name: Alice Martin, device: "2001", skills: { support: 3, senior: 1 } }
  - { id: bruno, name: Bruno Leroy, device: "2002", skills: { support: 2 } }
rules:
  - { name: vip, when: { customer: { tier: vip } }, then: { queue: support, priority: 100 } }
default: { queue: support }
`;

let relais: Relais;
let base: string;
let token: string;
let browser: Browser;

beforeAll(async () => {
  const { port } = await sim.listen();
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-browser-'));
  writeFileSync(path.join(dir, 'routing.yaml'), PLAN);
  relais = await createRelais(
    validateConfig({
      dataDir: dir,
      http: { port: 0 },
      calls: { clearGraceMs: 50 },
      routing: { plan: path.join(dir, 'routing.yaml') },
      desktop: { crmUrls: [{ url: 'https://crm.example/contacts?phone={ani}' }] },
      links: {
        csta: [
          {
            name: 'pbx',
            host: '127.0.0.1',
            port,
            devices: [
              { id: '2001', kind: 'agent' },
              { id: '2002', kind: 'agent' },
              { id: '3001', kind: 'acd' },
            ],
            routing: { devices: ['3000'], queueWaitMs: 15_000 },
          },
        ],
      },
    }),
    pino({ level: 'silent' }),
  );
  base = await relais.listen();
  token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
  await linkReady(sim, 3);
  const vip = await relais.directory.create({
    name: 'Victoire Dupont',
    phones: [{ number: '06 11 22 33 44' }],
    tier: 'vip',
    language: 'fr-FR',
  });
  await relais.directory.addPurchase(vip.id, {
    sku: 'TV-55',
    label: 'Téléviseur 55"',
    purchasedAt: Date.now() - 3 * 86_400_000,
  });
  await relais.directory.addInteraction(vip.id, {
    at: Date.now() - 20 * 86_400_000,
    channel: 'phone',
    agentId: 'bruno',
    disposition: 'info',
    summary: 'Suivi de livraison',
  });
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: ./scripts/test.sh installs it (apt-get install chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await relais?.close();
  await sim.close();
});

async function signIn(page: Page, agent: string, device: string): Promise<void> {
  await page.goto(`${base}/desktop?token=${token}&agent=${agent}&device=${device}`);
  await page.getByTestId('sign-in').click();
  await page
    .getByTestId('link-status')
    .filter({ hasText: /^connecté$/ })
    .waitFor();
}

describe('agent desktop and wallboard in Chromium', () => {
  it("shows a VIP's card the moment the call rings, and saves the wrap-up with the call", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await signIn(page, 'alice', '2001');
    await page.getByTestId('available').click();
    await page.getByTestId('agent-state').filter({ hasText: 'available' }).waitFor();

    const call = sim.placeCall({
      ani: '0611223344',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 300,
      talkMs: 1500,
    });
    await page
      .getByTestId('customer-name')
      .filter({ hasText: 'Victoire Dupont' })
      .waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('vip-badge').textContent()).resolves.toBe('VIP');
    await expect(page.getByTestId('purchases').textContent()).resolves.toContain('Téléviseur 55"');
    await expect(page.getByTestId('interactions').textContent()).resolves.toContain('Suivi de livraison');
    await expect(page.getByTestId('crm-link').getAttribute('href')).resolves.toBe(
      'https://crm.example/contacts?phone=%2B33611223344',
    );
    await page.getByTestId('call-state').filter({ hasText: 'en ligne' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'desktop.png') });
    const done = await call.done;

    await page.getByTestId('wrap-up').waitFor({ timeout: 10_000 });
    await page.getByTestId('disposition').selectOption('sale');
    await page.getByTestId('note').fill('Extension de garantie proposée');
    await page.getByTestId('save-wrap-up').click();
    await page.getByTestId('idle').waitFor();
    await expect
      .poll(() => wrapUpsOf(relais.db, 'pbx', done.callId))
      .toMatchObject([{ agentId: 'alice', disposition: 'sale', note: 'Extension de garantie proposée' }]);
    await page.close();
  });

  it('shows an unknown-caller card for a withheld number', async () => {
    const page = await browser.newPage();
    await signIn(page, 'alice', '2001');
    await page.getByTestId('available').click();
    const call = sim.placeCall({
      presentation: 'restricted',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 300,
      talkMs: 300,
    });
    await page.getByTestId('unknown-card').filter({ hasText: 'numéro masqué' }).waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('create-customer').count()).resolves.toBe(0); // nothing to link a hidden number to
    await call.done;
    await page.close();
  });

  it('links an unknown caller to an existing customer, or creates one, from the card', async () => {
    const page = await browser.newPage();
    await signIn(page, 'alice', '2001');
    await page.getByTestId('available').click();
    const first = sim.placeCall({
      ani: '0655443322',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 200,
      talkMs: 3000,
    });
    await page.getByTestId('unknown-card').waitFor({ timeout: 10_000 });
    await page.getByTestId('link-to').fill('06 11 22 33 44'); // Victoire's known number
    await page.getByTestId('link-customer').click();
    await page.getByTestId('customer-name').filter({ hasText: 'Victoire Dupont' }).waitFor();
    const linked = await relais.directory.lookupNumber(relais.normalise('0655443322'));
    expect(linked.customer?.name).toBe('Victoire Dupont');
    await first.done;

    const second = sim.placeCall({
      ani: '0677889900',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 200,
      talkMs: 3000,
    });
    await page.getByTestId('unknown-card').waitFor({ timeout: 10_000 });
    await page.getByTestId('new-name').fill('Nadia Nouvelle');
    await page.getByTestId('create-customer').click();
    await page.getByTestId('customer-name').filter({ hasText: 'Nadia Nouvelle' }).waitFor();
    expect((await relais.directory.lookupNumber(relais.normalise('0677889900'))).customer?.name).toBe(
      'Nadia Nouvelle',
    );
    await second.done;
    await page.close();
  });

  it('updates the wallboard as calls queue and leave, pushed', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 700 } });
    await page.goto(`${base}/wallboard?token=${token}`);
    await page.getByTestId('wb-status').filter({ hasText: 'en direct' }).waitFor();
    relais.routing?.distributor.logout('bruno');
    relais.routing?.distributor.setState('alice', 'available');
    const long = sim.placeCall({ ani: '0611223344', dnis: '0800123456', routePoint: '3000', talkMs: 2500 });
    await expect
      .poll(() => relais.routing?.distributor.agent('alice')?.state, { timeout: 10_000 })
      .toBe('busy');
    const queued = sim.placeCall({ ani: '0699887766', dnis: '0800123456', routePoint: '3000', talkMs: 100 });
    await page.getByTestId('wb-waiting-support').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, 'wallboard.png') });
    await Promise.all([long.done, queued.done]);
    await page.getByTestId('wb-waiting-support').filter({ hasText: '0' }).waitFor({ timeout: 10_000 });
    await page.close();
  });
});
