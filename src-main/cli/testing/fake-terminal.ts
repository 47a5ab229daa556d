import type { Terminal } from '../terminal';

/** A terminal a unit test types into and reads back; it records whether raw reading is on. */
export class FakeTerminal implements Terminal {
  output = '';
  closed = false;
  private onKeys: ((chunk: string) => void) | null = null;

  get reading(): boolean {
    return this.onKeys !== null;
  }

  write(text: string): void {
    this.output += text;
  }

  readKeys(onKeys: (chunk: string) => void): () => void {
    if (this.onKeys) throw new Error('two readers on one terminal');
    this.onKeys = onKeys;
    return () => {
      this.onKeys = null;
    };
  }

  /** Keystrokes as the terminal would deliver them in raw mode. */
  type(chunk: string): void {
    if (!this.onKeys) throw new Error(`typed ${JSON.stringify(chunk)} while nothing reads`);
    this.onKeys(chunk);
  }

  close(): void {
    this.closed = true;
  }
}
