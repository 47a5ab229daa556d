import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

/**
 * The person's terminal, apart from stdin and stdout: `rolecall credential-process` belongs to
 * the tool that runs it (its stdout is that tool's input), so it asks on the controlling
 * terminal, as aws-vault and the AWS CLI do for MFA codes.
 */
export interface Terminal {
  write(text: string): void;
  /** Hands each chunk of keystrokes to `onKeys`, unechoed (raw mode), until the returned stop. */
  readKeys(onKeys: (chunk: string) => void): () => void;
  close(): void;
}

/**
 * Opens the controlling terminal (`/dev/tty`; the console on Windows), or null when the process
 * has none — started by a service, a build tool without a terminal, or a test in its own session.
 */
export function openControllingTerminal(): Terminal | null {
  const [inputPath, outputPath] =
    process.platform === 'win32' ? ['CONIN$', 'CONOUT$'] : ['/dev/tty', '/dev/tty'];
  let inputFd: number | null = null;
  let outputFd: number | null = null;
  try {
    inputFd = openSync(inputPath, 'r');
    outputFd = openSync(outputPath, 'w');
    const input = new ReadStream(inputFd);
    const output = new WriteStream(outputFd);
    if (!input.isTTY) throw new Error(`${inputPath} is no terminal`);
    return fromStreams(input, output);
  } catch {
    for (const fd of [inputFd, outputFd]) if (fd !== null) closeQuietly(fd);
    return null;
  }
}

function fromStreams(input: ReadStream, output: WriteStream): Terminal {
  input.setEncoding('utf8');
  // Until it is read from, the terminal must not keep the process alive.
  input.pause();
  input.unref?.();
  return {
    write: (text) => void output.write(text),
    readKeys(onKeys) {
      const onData = (chunk: string) => onKeys(chunk);
      input.setRawMode(true);
      input.on('data', onData);
      input.ref?.();
      input.resume();
      return () => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        input.unref?.();
      };
    },
    close() {
      input.destroy();
      output.destroy();
    },
  };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
