import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRelaisError } from '../../../src/errors.js';
import { readTlsFiles } from '../../../src/links/transport/tls-files.js';
import { makePki, type Pki } from './pki.js';

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.remove());

async function failure(promise: Promise<unknown>): Promise<{ message: string; details: unknown }> {
  try {
    await promise;
  } catch (e) {
    if (isRelaisError(e, 'RELAIS_ERR_CONFIG_INVALID')) return { message: e.message, details: e.details };
    throw e;
  }
  throw new Error('expected RELAIS_ERR_CONFIG_INVALID');
}

describe('readTlsFiles', () => {
  it('reads certificate, key and CA', async () => {
    const files = await readTlsFiles({
      certFile: pki.client.certFile,
      keyFile: pki.client.keyFile,
      caFile: pki.caFile,
    });
    expect(files.cert?.equals(pki.client.cert)).toBe(true);
    expect(files.key?.equals(pki.client.key)).toBe(true);
    expect(files.ca?.equals(pki.ca)).toBe(true);
  });

  it('reads nothing when nothing is named', async () => {
    expect(await readTlsFiles({})).toEqual({ cert: undefined, key: undefined, ca: undefined });
  });

  it('names a file that cannot be read', async () => {
    const missing = join(pki.dir, 'missing.pem');
    const { message, details } = await failure(readTlsFiles({ caFile: missing }));
    expect(message).toContain(missing);
    expect(message).toContain('ENOENT');
    expect(details).toEqual({ file: missing });
  });

  it('names a file that holds no PEM of the expected kind, without quoting it', async () => {
    const { message } = await failure(
      readTlsFiles({ certFile: pki.client.keyFile, keyFile: pki.client.keyFile }),
    );
    expect(message).toContain(pki.client.keyFile);
    expect(message).toContain('BEGIN CERTIFICATE');
    expect(message).not.toContain('PRIVATE KEY-----\n');
    const garbage = join(pki.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect((await failure(readTlsFiles({ caFile: garbage }))).message).toContain(garbage);
  });

  it('refuses a certificate without its key', async () => {
    const { message } = await failure(readTlsFiles({ certFile: pki.client.certFile }));
    expect(message).toContain(pki.client.certFile);
  });
});
