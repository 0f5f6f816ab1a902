/**
 * PGlite is one process's database: two processes opening the same directory would corrupt it.
 * A lock file holding the owner's pid keeps a second `relais` out, with a message saying who holds it;
 * a lock left by a dead process (kill -9) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { RelaisError } from '../errors.js';

export function acquireDirLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(safeRead(file), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new RelaisError(
          'RELAIS_ERR_STORE',
          `the embedded database in ${file.replace(/[/\\]pglite\.lock$/, '')} is in use by process ${owner}; stop it, or use the HTTP API while it runs`,
        );
      }
      try {
        unlinkSync(file); // stale: its owner is gone
      } catch {
        // Another process removed it first; try again.
      }
    }
  }
  throw new RelaisError('RELAIS_ERR_STORE', `cannot take the lock ${file}`);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
