/**
 * The bytes a decoder holds between socket reads, kept as the list of chunks they arrived in. A
 * frame split over many reads is copied once, when it is complete, so a large frame arriving in
 * small reads costs O(n), not the O(n²) of concatenating on every read.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Index of the first chunk still holding unread bytes. */
  private head = 0;
  /** Read position inside `chunks[head]`. */
  private offset = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Copies the first `n` bytes (n ≤ length) into `target` without consuming them. */
  peekInto(target: Buffer, n: number): void {
    let copied = 0;
    let start = this.offset;
    for (let i = this.head; copied < n; i++) {
      const chunk = this.chunks[i] as Buffer;
      copied += chunk.copy(target, copied, start, Math.min(chunk.length, start + n - copied));
      start = 0;
    }
  }

  /** Position of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    let base = 0;
    let start = this.offset;
    for (let i = this.head; i < this.chunks.length; i++) {
      const chunk = this.chunks[i] as Buffer;
      const visible = chunk.length - start;
      if (from < base + visible) {
        const found = chunk.indexOf(byte, start + Math.max(0, from - base));
        if (found >= 0) return base + found - start;
      }
      base += visible;
      start = 0;
    }
    return -1;
  }

  /** Removes and returns the first `n` bytes (n ≤ length) as a new buffer the caller owns. */
  take(n: number): Buffer {
    const first = this.chunks[this.head];
    if (first !== undefined && this.offset + n <= first.length) {
      // Buffer.from copies: the frame must not pin the socket's read buffer nor change with it.
      const out = Buffer.from(first.subarray(this.offset, this.offset + n));
      this.skip(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.peekInto(out, n);
    this.skip(n);
    return out;
  }

  /** Drops the first `n` bytes (n ≤ length). */
  skip(n: number): void {
    this.size -= n;
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[this.head] as Buffer;
      const visible = chunk.length - this.offset;
      if (left < visible) {
        this.offset += left;
        return;
      }
      left -= visible;
      this.head++;
      this.offset = 0;
    }
    this.compact();
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.size = 0;
  }

  /** Forgets consumed chunks so the array does not grow for ever on a long-lived link. */
  private compact(): void {
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
