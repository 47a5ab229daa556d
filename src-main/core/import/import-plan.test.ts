import { describe, expect, it } from 'vitest';
import { FakeKeyStore } from '../../../test/helpers/fake-key-store';
import { resolvePlan, slugName, uniqueName, type Candidate } from './import-plan';

const KEYS = { accessKeyId: 'AKIAIMPORTPLAN000001', secretAccessKey: 's'.repeat(40) };
const OTHER = { accessKeyId: 'AKIAIMPORTPLAN000002', secretAccessKey: 't'.repeat(40) };

const user: Candidate = {
  kind: 'IAM user session',
  from: 'Alice',
  name: 'alice',
  keys: KEYS,
  section: { header: 'profile alice', settings: [['region', 'eu-west-1']] },
};
const role: Candidate = {
  kind: 'IAM role chained session',
  from: 'Admin',
  name: 'admin',
  needs: ['alice'],
  section: {
    header: 'profile admin',
    settings: [
      ['role_arn', 'arn:aws:iam::111122223333:role/Admin'],
      ['source_profile', 'alice'],
    ],
  },
};

describe('resolvePlan', () => {
  it('adds what is new: the sections in order and the keys', async () => {
    const plan = await resolvePlan([user, role], [], new Map(), new FakeKeyStore());
    expect(plan.sections.map((section) => section.header)).toEqual([
      'profile alice',
      'profile admin',
    ]);
    expect(plan.keys).toEqual([{ profile: 'alice', keys: KEYS }]);
    expect(plan.rows.map((row) => [row.name, row.outcome, row.detail])).toEqual([
      ['alice', 'new', '[profile alice] + access keys into the keychain'],
      ['admin', 'new', '[profile admin]'],
    ]);
  });

  it('finds what a run before it added, and adds nothing again', async () => {
    const store = new FakeKeyStore();
    await store.set('alice', KEYS);
    const existing = new Map([
      [
        'profile alice',
        new Map([
          ['region', 'eu-west-1'],
          ['output', 'json'],
        ]),
      ],
      ['profile admin', new Map(role.section!.settings)],
    ]);
    const plan = await resolvePlan([user, role], [], existing, store);
    expect(plan.sections).toEqual([]);
    expect(plan.keys).toEqual([]);
    expect(plan.rows.map((row) => row.outcome)).toEqual(['already', 'already']);
  });

  it("leaves out what would replace the user's own section or keys, and what is made from it", async () => {
    const different = new Map([['profile alice', new Map([['region', 'us-east-1']])]]);
    const plan = await resolvePlan([user, role], [], different, new FakeKeyStore());
    expect(plan.sections).toEqual([]);
    expect(plan.keys).toEqual([]);
    expect(plan.rows.map((row) => row.detail)).toEqual([
      'the AWS config file already has a different [profile alice]; rename or remove it and run this again',
      'it is made from alice, which does not come in',
    ]);

    const store = new FakeKeyStore();
    await store.set('alice', OTHER);
    const keysHeld = await resolvePlan([user], [], new Map(), store);
    expect(keysHeld.rows[0]!.detail).toMatch(
      /^the keychain already holds other keys for profile alice;/,
    );
    expect(keysHeld.sections).toEqual([]);
  });

  it('treats [default] and [profile default] as one profile', async () => {
    const candidate: Candidate = {
      kind: 'keys',
      from: 'default',
      name: 'default',
      section: { header: 'default', settings: [] },
    };
    const plan = await resolvePlan(
      [candidate],
      [],
      new Map([['profile default', new Map()]]),
      new FakeKeyStore(),
    );
    expect(plan.rows[0]!.outcome).toBe('already');
  });
});

describe('names', () => {
  it('makes a profile name of a display name, and keeps names unique', () => {
    expect(slugName('  Acme Corp (prod) ')).toBe('acme-corp-prod');
    expect(slugName('***')).toBe('imported');
    const taken = new Set<string>();
    expect([uniqueName('dev', taken), uniqueName('dev', taken), uniqueName('dev', taken)]).toEqual([
      'dev',
      'dev-2',
      'dev-3',
    ]);
  });
});
