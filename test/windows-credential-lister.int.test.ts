import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src-main/core/sources/run-command';
import {
  CREDENTIAL_LISTER_CSHARP,
  readGenericCredentials,
  type PowerShell,
} from '../src-main/core/secrets/windows-credentials';

/**
 * The C# that reads Windows Credential Manager, compiled by Mono's C# compiler and run by Mono
 * against test/fixtures/fake-advapi32 — a library with advapi32's two calls, Windows' struct
 * layout and UTF-16 strings. What only Windows can run is PowerShell's part: the one-line command
 * that compiles this code and prints its lines (src-main/core/secrets/windows-credentials.ts).
 * .ci/run installs Mono (`mono-mcs`) and a C compiler.
 */
const run = promisify(execFile);
let dir: string;

/** Stands in for PowerShell: compiles the C# it was given and runs it on the command's filter. */
const monoPowerShell: PowerShell = async (command, input) => {
  const filter = /::List\('((?:[^']|'')*)'\)/.exec(command)![1]!.replaceAll("''", "'");
  const source = join(dir, 'lister.cs');
  await writeFile(
    source,
    `${input}
public static class Harness
{
    [System.Runtime.InteropServices.DllImport("advapi32.dll")]
    private static extern int FakeFreedCount();

    public static void Main(string[] args)
    {
        foreach (string line in RolecallCredentialLister.List(args[0])) System.Console.Out.WriteLine(line);
        System.Console.Error.WriteLine("freed " + FakeFreedCount());
    }
}
`,
  );
  await run('mcs', ['-nologo', `-out:${join(dir, 'lister.exe')}`, source]);
  return runCommand({
    argv: ['mono', join(dir, 'lister.exe'), filter],
    env: { ...process.env, LD_LIBRARY_PATH: dir },
    timeoutMs: 60_000,
    maxStdoutBytes: 1024 * 1024,
    stderrTailBytes: 1024,
  });
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-wincred-'));
  // Mono finds DllImport("advapi32.dll") as libadvapi32.so on the library path.
  await run('cc', [
    '-shared',
    '-fPIC',
    '-o',
    join(dir, 'libadvapi32.so'),
    join(import.meta.dirname, 'fixtures', 'fake-advapi32', 'advapi32.c'),
  ]);
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the Credential Manager lister's C#", () => {
  it('lists the generic credentials under a prefix with their exact bytes, and frees the list', async () => {
    const seen: string[] = [];
    const found = await readGenericCredentials('aws-vault:aws-vault:', async (command, input) => {
      expect(input).toBe(CREDENTIAL_LISTER_CSHARP);
      const outcome = await monoPowerShell(command, input);
      if (outcome.kind === 'exited') seen.push(outcome.stderr);
      return outcome;
    });
    expect(found.map((each) => [each.target, each.blob.toString('hex')])).toEqual([
      [
        'aws-vault:aws-vault:dev',
        Buffer.from('{"AccessKeyID":"AKIAFAKEADVAPI000001"}').toString('hex'),
      ],
      ['aws-vault:aws-vault:équipe', Buffer.from('\x00\xff\x80 binary', 'latin1').toString('hex')],
      ['aws-vault:aws-vault:empty', ''],
    ]);
    expect(seen.join('')).toContain('freed 1');
  }, 120_000);

  it('answers nothing, not a failure, when no credential matches', async () => {
    expect(await readGenericCredentials("nobody's:", monoPowerShell)).toEqual([]);
  }, 120_000);
});
