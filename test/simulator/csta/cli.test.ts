import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isRelaisError } from '../../../src/errors.js';
import { runSimulatorCli } from '../../../src/simulator/csta/cli.js';
import { RawClient, setUp } from './raw-client.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => {
    text += d;
  });
  return { stream, text: () => text };
}

describe('relais simulate csta', () => {
  it('prints its help', async () => {
    const out = capture();
    expect(await runSimulatorCli(['--help'], { stdout: out.stream })).toBe(0);
    expect(out.text()).toMatch(/^Usage: relais simulate csta/);
  });

  it('listens, generates traffic from a seed and prints counters when stopped', async () => {
    const out = capture();
    const stop = new AbortController();
    let port = 0;
    let ready: () => void = () => {};
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const finished = runSimulatorCli(
      [
        '--port',
        '0',
        '--rate',
        '200',
        '--seed',
        '7',
        '--talk',
        '1-5',
        '--identifiers',
        'e164',
        '--stats-interval',
        '0',
      ],
      {
        stdout: out.stream,
        signal: stop.signal,
        onReady: (sim) => {
          port = sim.address?.port ?? 0;
          ready();
        },
      },
    );
    await isReady;
    const client = await RawClient.connect({ port });
    const ids = await setUp(client, ['3000']);
    const delivered = await client.take((m) => m.root === 'DeliveredEvent' && m.monitor === ids['3000']);
    expect(delivered.xml).toMatch(/<callingDevice><(deviceIdentifier>\+336|restricted|notKnown)/);
    client.close();
    stop.abort();
    expect(await finished).toBe(0);
    expect(out.text()).toMatch(/listening on 127\.0\.0\.1:\d+/);
    expect(out.text()).toMatch(/calls placed=\d+ answered=\d+/);
  });

  it('refuses bad options with a usage error', async () => {
    const err = await runSimulatorCli(['--framing', 'xml']).catch((e: unknown) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_USAGE')).toBe(true);
    expect((err as Error).message).toMatch(/--framing expects header or nul/);
    await expect(runSimulatorCli(['--tls-cert', 'x.pem'])).rejects.toThrow(
      /--tls-cert and --tls-key go together/,
    );
  });
});
