import { join } from 'node:path';
import { RolecallError } from '../errors';
import { runCommand, type RunOutcome } from '../sources/run-command';

/**
 * Reads the generic credentials whose target names start with a prefix from Windows Credential
 * Manager — how aws-vault keeps its keys on Windows (`aws-vault:aws-vault:<profile>`). keytar
 * cannot: its listing call skips credentials without a user name, and aws-vault writes none. So
 * Windows PowerShell, which every Windows 10 and 11 has, calls CredEnumerateW itself through a
 * few lines of C#; the secrets come back on its standard output, never on a command line or in a
 * file.
 */

/** Runs Windows PowerShell with a command and its standard input; tests stand in for it. */
export type PowerShell = (command: string, input: string) => Promise<RunOutcome>;

export interface GenericCredential {
  target: string;
  blob: Buffer;
}

/**
 * The C# PowerShell compiles: CredEnumerateW with the filter, every generic credential's target
 * and blob as a line of two base64 fields (target as UTF-8), CredFree in every case. A filter
 * that matches nothing is ERROR_NOT_FOUND (1168), which is an empty answer, not a failure.
 */
export const CREDENTIAL_LISTER_CSHARP = `using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

public static class RolecallCredentialLister
{
    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    private struct Credential
    {
        public uint Flags;
        public uint Type;
        public IntPtr TargetName;
        public IntPtr Comment;
        public long LastWritten;
        public uint CredentialBlobSize;
        public IntPtr CredentialBlob;
        public uint Persist;
        public uint AttributeCount;
        public IntPtr Attributes;
        public IntPtr TargetAlias;
        public IntPtr UserName;
    }

    [DllImport("advapi32.dll", EntryPoint = "CredEnumerateW", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool CredEnumerate(string filter, uint flags, out uint count, out IntPtr credentials);

    [DllImport("advapi32.dll", EntryPoint = "CredFree")]
    private static extern void CredFree(IntPtr buffer);

    private const uint GenericType = 1;
    private const int NotFound = 1168;

    public static string[] List(string filter)
    {
        uint count;
        IntPtr list;
        if (!CredEnumerate(filter, 0, out count, out list))
        {
            int error = Marshal.GetLastWin32Error();
            if (error == NotFound) return new string[0];
            throw new System.ComponentModel.Win32Exception(error);
        }
        try
        {
            List<string> lines = new List<string>();
            for (int index = 0; index < count; index++)
            {
                IntPtr entry = Marshal.ReadIntPtr(list, index * IntPtr.Size);
                Credential credential = (Credential)Marshal.PtrToStructure(entry, typeof(Credential));
                if (credential.Type != GenericType) continue;
                string target = Marshal.PtrToStringUni(credential.TargetName);
                byte[] blob = new byte[credential.CredentialBlobSize];
                if (blob.Length > 0) Marshal.Copy(credential.CredentialBlob, blob, 0, blob.Length);
                lines.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(target)) + " " + Convert.ToBase64String(blob));
            }
            return lines.ToArray();
        }
        finally
        {
            CredFree(list);
        }
    }
}
`;

/**
 * The command PowerShell runs: compile the C# it reads from standard input, list `filter`, print
 * one line per credential. Short and plain on purpose: the code comes on standard input rather
 * than as -EncodedCommand, which endpoint protection rightly treats as suspect.
 */
export function credentialListerCommand(filter: string): string {
  // A single-quoted PowerShell string holds anything but a quote, which it doubles.
  const quoted = `'${filter.replaceAll("'", "''")}'`;
  return (
    "$ErrorActionPreference = 'Stop'; " +
    'Add-Type -TypeDefinition ([Console]::In.ReadToEnd()); ' +
    `foreach ($line in [RolecallCredentialLister]::List(${quoted})) { [Console]::Out.WriteLine($line) }`
  );
}

/** Windows PowerShell by its full path: a `powershell.exe` earlier on PATH is not asked. */
export const runWindowsPowerShell: PowerShell = (command, input) =>
  runCommand({
    argv: [
      join(
        process.env.SystemRoot ?? 'C:\\Windows',
        'System32',
        'WindowsPowerShell',
        'v1.0',
        'powershell.exe',
      ),
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      command,
    ],
    input,
    env: process.env,
    timeoutMs: 60_000,
    maxStdoutBytes: 16 * 1024 * 1024,
    stderrTailBytes: 4096,
  });

/** Every generic credential whose target name starts with `prefix`, with its blob. */
export async function readGenericCredentials(
  prefix: string,
  powershell: PowerShell = runWindowsPowerShell,
): Promise<GenericCredential[]> {
  const outcome = await powershell(credentialListerCommand(`${prefix}*`), CREDENTIAL_LISTER_CSHARP);
  if (outcome.kind !== 'exited' || outcome.code !== 0) {
    throw new RolecallError('credential-manager-unreadable', sentenceFor(outcome), 502);
  }
  return parseCredentialLines(outcome.stdout).filter((each) => each.target.startsWith(prefix));
}

/** Reads the lister's lines; anything else it printed is a failure, not a credential. */
export function parseCredentialLines(stdout: string): GenericCredential[] {
  const credentials: GenericCredential[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (line === '') continue;
    // An empty blob leaves the line ending in the separating space.
    const fields = /^([A-Za-z0-9+/]+=*) ([A-Za-z0-9+/]*=*)$/.exec(line);
    if (!fields) {
      throw new RolecallError(
        'credential-manager-unreadable',
        'Windows PowerShell answered something other than the list of credentials, so nothing was imported.',
        502,
      );
    }
    credentials.push({
      target: Buffer.from(fields[1]!, 'base64').toString('utf8'),
      blob: Buffer.from(fields[2]!, 'base64'),
    });
  }
  return credentials;
}

function sentenceFor(outcome: RunOutcome): string {
  const nothing = 'so nothing was imported';
  switch (outcome.kind) {
    case 'spawn-failed':
      return `Could not start Windows PowerShell to read Windows Credential Manager (${outcome.error.code ?? outcome.error.message}), ${nothing}.`;
    case 'timed-out':
      return `Windows PowerShell did not list Windows Credential Manager's items within a minute, ${nothing}.`;
    case 'exited': {
      const said =
        outcome.stderr
          .split('\n')
          .find((line) => line.trim() !== '')
          ?.trim() ?? '';
      // Machines locked down with AppLocker or WDAC run PowerShell in Constrained Language mode.
      if (/language mode/i.test(outcome.stderr)) {
        return `This machine's PowerShell may not compile code (Constrained Language mode), which reading Windows Credential Manager needs, ${nothing}.`;
      }
      return `Windows PowerShell could not read Windows Credential Manager (${said || `exit status ${outcome.code}`}), ${nothing}.`;
    }
    default:
      return `Reading Windows Credential Manager stopped before it finished, ${nothing}.`;
  }
}
