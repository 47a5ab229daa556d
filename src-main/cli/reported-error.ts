/**
 * A failure the command has already reported in its own output format (a JSON log line from
 * `serve --log-format json`): the CLI exits 1 without printing it again as plain text.
 */
export class ReportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedError';
  }
}
