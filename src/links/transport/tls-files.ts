/**
 * Reads a link's TLS material from PEM files named in the configuration, failing with an error that
 * names the file and what is wrong with it (never its content: it may be a private key).
 */
import { readFile } from 'node:fs/promises';
import { RelaisError } from '../../errors.js';

export interface TlsFilePaths {
  certFile?: string;
  keyFile?: string;
  caFile?: string;
}

export interface TlsFiles {
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer;
}

interface PemKind {
  what: string;
  marker: RegExp;
  expected: string;
}

const CERTIFICATE: PemKind = {
  what: 'certificate',
  marker: /-----BEGIN CERTIFICATE-----/,
  expected: 'BEGIN CERTIFICATE',
};
const CA: PemKind = { ...CERTIFICATE, what: 'CA certificate' };
/** PKCS#8 (plain or encrypted), PKCS#1 RSA and SEC1 EC keys. */
const PRIVATE_KEY: PemKind = {
  what: 'private key',
  marker: /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/,
  expected: 'BEGIN PRIVATE KEY',
};

export async function readTlsFiles(paths: TlsFilePaths): Promise<TlsFiles> {
  if ((paths.certFile === undefined) !== (paths.keyFile === undefined)) {
    const given = paths.certFile ?? paths.keyFile;
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `TLS certificate and key files go together, but only ${given} is given`,
      { details: { file: given } },
    );
  }
  const [cert, key, ca] = await Promise.all([
    readPem(paths.certFile, CERTIFICATE),
    readPem(paths.keyFile, PRIVATE_KEY),
    readPem(paths.caFile, CA),
  ]);
  return { cert, key, ca };
}

async function readPem(file: string | undefined, kind: PemKind): Promise<Buffer | undefined> {
  if (file === undefined) return undefined;
  const { what, marker, expected } = kind;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'read error';
    throw new RelaisError('RELAIS_ERR_CONFIG_INVALID', `cannot read TLS ${what} file ${file} (${code})`, {
      cause,
      details: { file },
    });
  }
  if (!marker.test(bytes.toString('latin1'))) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `TLS ${what} file ${file} holds no PEM ${what} (expected a "-----${expected}-----" block)`,
      { details: { file } },
    );
  }
  return bytes;
}
