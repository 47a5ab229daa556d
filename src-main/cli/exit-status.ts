/**
 * Ends the command with this exit status — `rolecall exec` ends with its command's — after
 * printing `message`, when there is one, as any error is printed.
 */
export class ExitStatus extends Error {
  constructor(
    readonly status: number,
    message = '',
  ) {
    super(message);
    this.name = 'ExitStatus';
  }
}
