import { EventEmitter } from 'node:events';
import { Terminal, type TtyInput } from '../terminal';

/**
 * A tty.ReadStream a test types into; it records raw mode, flow and what was written, in order.
 */
class FakeTty implements TtyInput {
  readonly events = new EventEmitter();
  /** Raw mode changes and writes, in the order they happened. */
  readonly happenings: string[] = [];
  readonly modes: boolean[] = [];
  output = '';
  raw = false;
  flowing = false;
  closed = false;
  private signalListener: (() => void) | null = null;

  constructor(private readonly onResume: () => void) {}

  setRawMode(raw: boolean): void {
    this.raw = raw;
    this.modes.push(raw);
    this.happenings.push(raw ? 'raw' : 'cooked');
  }
  on(event: 'data' | 'end' | 'error', listener: (chunk: Buffer | string) => void): void {
    this.events.on(event, listener);
  }
  off(event: 'data' | 'end' | 'error', listener: (chunk: Buffer | string) => void): void {
    this.events.off(event, listener);
  }
  resume(): void {
    this.flowing = true;
    this.onResume();
  }
  pause(): void {
    this.flowing = false;
  }
  write(text: string): void {
    this.output += text;
    this.happenings.push(`write ${JSON.stringify(text)}`);
  }
  onSignal(listener: () => void): () => void {
    this.signalListener = listener;
    return () => (this.signalListener = null);
  }
  signal(): void {
    this.signalListener?.();
  }
}

export interface FakeTerminalOptions {
  /**
   * Answers each prompt as a person would, a moment after it is shown: the keystrokes to type
   * (`'123456\r'`, `'\u0003'` for Ctrl-C).
   */
  answer?: (prompt: string) => string;
}

/**
 * The real Terminal (keystrokes, hidden lines, paste kept for the next prompt) over a fake
 * tty.ReadStream, for unit tests that type into it and read back what it showed.
 */
export class FakeTerminal extends Terminal {
  private readonly tty: FakeTty;
  /** Every prompt asked, in order. */
  readonly prompts: string[];

  constructor(options: FakeTerminalOptions = {}) {
    const prompts: string[] = [];
    let lastWrite = '';
    const tty: FakeTty = new FakeTty(() => {
      prompts.push(lastWrite);
      const keys = options.answer?.(lastWrite);
      if (keys !== undefined) setImmediate(() => tty.events.emit('data', keys));
    });
    super(tty, {
      write: (text) => {
        lastWrite = text;
        tty.write(text);
      },
      close: () => (tty.closed = true),
      onSignal: (listener) => tty.onSignal(listener),
    });
    this.tty = tty;
    this.prompts = prompts;
  }

  /** What the terminal showed. */
  get output(): string {
    return this.tty.output;
  }
  /** Raw mode changes and writes, in order. */
  get happenings(): readonly string[] {
    return this.tty.happenings;
  }
  get modes(): readonly boolean[] {
    return this.tty.modes;
  }
  /** A prompt waits for keys: raw mode on and a listener reading. */
  get reading(): boolean {
    return this.tty.raw && this.tty.events.listenerCount('data') > 0;
  }
  get listeners(): number {
    return this.tty.events.listenerCount('data');
  }
  get flowing(): boolean {
    return this.tty.flowing;
  }
  get closed(): boolean {
    return this.tty.closed;
  }

  /** Keystrokes as the terminal would deliver them in raw mode. */
  type(chunk: string | Buffer): void {
    if (this.listeners === 0)
      throw new Error(`typed ${JSON.stringify(String(chunk))} while nothing reads`);
    this.tty.events.emit('data', chunk);
  }
  /** A signal from outside (kill, a closed window) while a prompt waits. */
  signal(): void {
    this.tty.signal();
  }
  /** The terminal goes away (its input ends). */
  hangUp(): void {
    this.tty.events.emit('end');
  }
}
