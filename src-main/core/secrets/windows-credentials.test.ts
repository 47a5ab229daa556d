import { describe, expect, it } from 'vitest';
import { exitedWith } from '../../../test/helpers/run-outcome';
import type { RunOutcome } from '../sources/run-command';
import {
  CREDENTIAL_LISTER_CSHARP,
  credentialListerCommand,
  parseCredentialLines,
  readGenericCredentials,
  type PowerShell,
} from './windows-credentials';

const b64 = (text: string) => Buffer.from(text).toString('base64');
describe('reading Windows Credential Manager through PowerShell', () => {
  it('hands PowerShell a short command and the C# on standard input, never a secret', async () => {
    const calls: Array<{ command: string; input: string }> = [];
    const powershell: PowerShell = async (command, input) => {
      calls.push({ command, input });
      return exitedWith(
        [
          `${b64('aws-vault:aws-vault:dev')} ${b64('{"AccessKeyID":"AKIA"}')}`,
          // Empty blob: the line ends in the separator.
          `${b64('aws-vault:aws-vault:empty')} `,
          // CredEnumerateW's filter is a prefix match, but what comes back is checked again.
          `${b64('aws-vault:other')} ${b64('x')}`,
          '',
        ].join('\r\n'),
      );
    };
    const found = await readGenericCredentials('aws-vault:aws-vault:', powershell);
    expect(found.map((each) => [each.target, each.blob.toString()])).toEqual([
      ['aws-vault:aws-vault:dev', '{"AccessKeyID":"AKIA"}'],
      ['aws-vault:aws-vault:empty', ''],
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.input).toBe(CREDENTIAL_LISTER_CSHARP);
    expect(calls[0]!.command).toContain("::List('aws-vault:aws-vault:*')");
    expect(calls[0]!.command).not.toMatch(/\n/);
  });

  it('quotes the filter as a PowerShell string', () => {
    expect(credentialListerCommand("it's*")).toContain("::List('it''s*')");
  });

  it('says in one sentence why nothing was read', async () => {
    const failing = (outcome: RunOutcome) =>
      readGenericCredentials('aws-vault:aws-vault:', async () => outcome);
    await expect(
      failing({ kind: 'spawn-failed', error: Object.assign(new Error('x'), { code: 'ENOENT' }) }),
    ).rejects.toThrow(
      /^Could not start Windows PowerShell to read Windows Credential Manager \(ENOENT\), so nothing was imported\.$/,
    );
    await expect(
      failing(
        exitedWith(
          '',
          1,
          'Add-Type : Cannot add type. Definition of new types is not supported in this language mode.\n',
        ),
      ),
    ).rejects.toThrow(/Constrained Language mode/);
    await expect(failing(exitedWith('', 1, '\nAccess is denied.\n'))).rejects.toThrow(
      /^Windows PowerShell could not read Windows Credential Manager \(Access is denied\.\), so nothing was imported\.$/,
    );
    await expect(failing({ kind: 'timed-out', stderr: '' })).rejects.toThrow(/within a minute/);
  });

  it('refuses output that is not the list, rather than guessing', () => {
    expect(() => parseCredentialLines('WARNING: something\n')).toThrow(
      /answered something other than the list of credentials/,
    );
    expect(parseCredentialLines('')).toEqual([]);
  });
});
