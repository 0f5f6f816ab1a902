/** A throwaway PKI for the TLS tests, made with the openssl command line in a temporary directory. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  keyFile: string;
}

export interface Pki {
  dir: string;
  ca: Buffer;
  caFile: string;
  /** A CA that signed nothing the tests trust. */
  otherCa: Buffer;
  /** Signed by `ca`, valid for DNS:localhost and IP:127.0.0.1. */
  server: KeyPair;
  /** Signed by `ca`, client authentication. */
  client: KeyPair;
  /** Signed by `otherCa`, client authentication. */
  strangerClient: KeyPair;
  remove(): void;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=Relais test ${name}`,
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, extensions: string, serial: number): KeyPair {
  openssl(dir, ['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    String(serial),
    '-days',
    '2',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  ]);
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, keyFile };
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'relais-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  const server = makeLeaf(
    dir,
    'localhost',
    'ca',
    'basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
    2,
  );
  const clientExt = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n';
  const client = makeLeaf(dir, 'relais-client', 'ca', clientExt, 3);
  const strangerClient = makeLeaf(dir, 'stranger-client', 'other-ca', clientExt, 4);
  const caFile = join(dir, 'ca.crt');
  return {
    dir,
    ca: readFileSync(caFile),
    caFile,
    otherCa: readFileSync(join(dir, 'other-ca.crt')),
    server,
    client,
    strangerClient,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
