import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiDeclaration } from './api';
import { describeIssues, issuePhrases, markUnworded, parseOrSentence } from './validation-sentence';

const every = { name: '--every', value: (seconds: number) => `${seconds / 60}m` };

function sentence(schema: z.ZodType, value: unknown, names = {}): string {
  const parsed = parseOrSentence(schema, value, names);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.message;
}

describe('parseOrSentence', () => {
  it('names a field as the user typed it, with its numbers in their units', () => {
    expect(
      sentence(
        apiDeclaration.loadProfile.args,
        { profile: 'dev', refreshEverySeconds: 5 },
        {
          refreshEverySeconds: every,
        },
      ),
    ).toBe('--every must be at least 1m.');
    expect(
      sentence(
        apiDeclaration.loadProfile.args,
        { profile: 'dev', refreshEverySeconds: 10 ** 7 },
        {
          refreshEverySeconds: every,
        },
      ),
    ).toBe('--every must be at most 10080m.');
  });

  it('keeps a schema’s own words and capitalises them', () => {
    expect(sentence(apiDeclaration.loadProfile.args, { profile: '' })).toBe(
      'Profile name is empty; Rolecall serves no profile under such a name (rename it in your AWS config).',
    );
    expect(sentence(apiDeclaration.updateSettings.args, { server: { port: 80 } })).toBe(
      'Port must be 1024 or more.',
    );
  });

  it('words what zod would have worded itself, naming the field by its path', () => {
    expect(sentence(apiDeclaration.loadProfile.args, { profile: 7 })).toBe(
      'Profile must be a string.',
    );
    expect(sentence(apiDeclaration.loadProfile.args, {})).toBe('Profile is missing.');
    expect(
      sentence(apiDeclaration.loadProfile.args, { profile: 'dev', refreshEverySeconds: 90.5 }),
    ).toBe('refreshEverySeconds must be a whole number.');
    expect(sentence(apiDeclaration.getEnvExports.args, { format: 'tcsh' })).toBe(
      'Format must be one of "sh", "fish", "powershell", "json".',
    );
    expect(sentence(apiDeclaration.getSnapshot.args, { x: 1 })).toBe('There is no field x.');
    expect(sentence(apiDeclaration.getSnapshot.args, { 'a\nb': 1, y: 2 })).toBe(
      'There are no fields "a\\nb", y.',
    );
    expect(sentence(apiDeclaration.updateSettings.args, { server: { tls: 'yes' } })).toBe(
      'server.tls must be true or false.',
    );
    expect(sentence(apiDeclaration.startSignIn.args, { session: '' })).toBe(
      'Session must not be empty.',
    );
    expect(sentence(apiDeclaration.loadProfile.args, 'dev')).toBe('The value must be an object.');
  });

  it('never answers with zod’s JSON, on any shape of wrong input', () => {
    const inputs: unknown[] = [null, [], 'x', 1, { profile: null }, { profile: 'a', slot: 'yes' }];
    for (const input of inputs) {
      const message = sentence(apiDeclaration.loadProfile.args, input);
      expect(message).not.toMatch(/[[\]{}]|expected|Invalid input|\n/);
      expect(message).toMatch(/\.$/);
    }
  });

  it('gives back the data when it is valid', () => {
    expect(parseOrSentence(apiDeclaration.unloadProfile.args, { profile: 'dev' })).toEqual({
      success: true,
      data: { profile: 'dev' },
    });
  });
});

describe('issuePhrases', () => {
  it('puts the path before a hand-written message when asked, as a settings file needs', () => {
    const schema = z.object({ server: z.object({ port: z.number().min(1024, 'port is low') }) });
    const parsed = schema.safeParse({ server: { port: 1 } }, markUnworded);
    expect(issuePhrases(parsed.error!.issues, { withPath: true })).toEqual([
      'server.port: port is low',
    ]);
  });

  it('says how many more problems there are after the first three', () => {
    const schema = z.object({
      port: z.number(),
      host: z.string(),
      tls: z.boolean(),
      ui: z.boolean(),
      verbose: z.boolean(),
    });
    const parsed = schema.safeParse({}, markUnworded);
    expect(describeIssues(parsed.error!.issues)).toBe(
      'Port is missing; host is missing; tls is missing; and 2 more problems.',
    );
  });
});
