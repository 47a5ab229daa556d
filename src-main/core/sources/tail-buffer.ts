/**
 * Keeps only the last `limit` bytes written to it: enough of a command's stderr to explain a
 * failure, without holding on to megabytes of noise.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly limit: number) {}

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit) {
      const first = this.chunks[0]!;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
      this.dropped = true;
    }
  }

  /** The kept text, trimmed, starting with "…" when earlier output was dropped. */
  text(): string {
    // A cut can land inside a UTF-8 character; drop the broken start rather than show U+FFFD.
    const text = Buffer.concat(this.chunks)
      .toString('utf8')
      .replace(/^\uFFFD+/, '')
      .trim();
    return this.dropped && text !== '' ? `…${text}` : text;
  }
}
