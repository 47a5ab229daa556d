import { envFormats, type EnvFormat } from '../../src-shared/env-formats';
import { slotUrl } from '../../src-shared/slot-url';

export { envFormats, type EnvFormat };

/**
 * Renders variables so `eval "$(rolecall env)"` (or the shell's equivalent) sets them. Values are
 * quoted for the target shell, so nothing in them is interpreted.
 */
export function formatEnv(variables: Record<string, string>, format: EnvFormat): string {
  const entries = Object.entries(variables);
  switch (format) {
    case 'json':
      return `${JSON.stringify(variables, null, 2)}\n`;
    case 'fish':
      return entries.map(([name, value]) => `set -gx ${name} ${fishQuote(value)};\n`).join('');
    case 'powershell':
      return entries.map(([name, value]) => `$Env:${name} = ${powershellQuote(value)}\n`).join('');
    case 'sh':
      return entries.map(([name, value]) => `export ${name}=${shQuote(value)}\n`).join('');
  }
}

/** POSIX: everything inside single quotes is literal; a quote is closed, escaped, reopened. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** fish: inside single quotes only \\ and \' are special. */
function fishQuote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** PowerShell: a single quote inside a single-quoted string is doubled. */
function powershellQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function isEnvFormat(value: string): value is EnvFormat {
  return (envFormats as readonly string[]).includes(value);
}

/**
 * The variables that point AWS SDKs and CLIs at a Rolecall server: the default slot, or a
 * profile's named slot; with TLS, the CA file for Node-based SDKs. Never AWS_CA_BUNDLE: botocore
 * and the AWS CLI would verify every AWS endpoint against Rolecall's CA alone, and they do not
 * read it for the container endpoint anyway.
 */
export function containerEnv(options: {
  url: string;
  authorization: string;
  caFile?: string;
  profile?: string;
}): Record<string, string> {
  const url = options.profile ? slotUrl(options.url, options.profile) : options.url;
  return {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: options.authorization,
    ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}),
  };
}
