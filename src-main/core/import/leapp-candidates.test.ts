import { describe, expect, it } from 'vitest';
import {
  leappCandidates,
  leappAccessKeyIdAccount,
  leappSecretAccessKeyAccount,
} from './leapp-candidates';
import type { LeappSession, LeappWorkspace } from './leapp-workspace';

const KEY_ID = 'AKIALEAPPCANDIDATE01';
const SECRET = 'lEaPpSeCrEt/0123456789abcdefghijklmnopqr';

function workspace(
  sessions: LeappSession[],
  profiles: Record<string, string> = {},
): LeappWorkspace {
  return {
    version: 7,
    sessions,
    ssoIntegrations: [
      { id: 'i1', alias: 'Acme', portalUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' },
    ],
    azureIntegrations: [],
    profileNames: new Map(Object.entries({ 'p-default': 'default', ...profiles })),
    defaultRegion: 'us-east-1',
  };
}

const user = (id: string, name: string, profileId = 'p-default'): LeappSession => ({
  sessionId: id,
  sessionName: name,
  type: 'awsIamUser',
  region: 'eu-west-1',
  profileId,
});

const secrets = (ids: string[]) => async (account: string) => {
  for (const id of ids) {
    if (account === leappAccessKeyIdAccount(id)) return KEY_ID;
    if (account === leappSecretAccessKeyAccount(id)) return SECRET;
  }
  return null;
};

describe('leappCandidates', () => {
  it("names a profile after Leapp's named profile only when it is this session's alone", async () => {
    const { candidates } = await leappCandidates(
      workspace(
        [
          user('a', 'Alice keys', 'p-alice'),
          user('b', 'Bob', 'p-shared'),
          user('c', 'Carol', 'p-shared'),
          user('d', 'Dan'),
        ],
        { 'p-alice': 'alice', 'p-shared': 'team' },
      ),
      secrets(['a', 'b', 'c', 'd']),
    );
    expect(candidates.map((each) => each.name)).toEqual(['acme', 'alice', 'bob', 'carol', 'dan']);
  });

  it('leaves out a user whose keys are not in the keychain, and the roles made from it or from SAML', async () => {
    const chained = (id: string, parent: string): LeappSession => ({
      sessionId: id,
      sessionName: `Role from ${parent}`,
      type: 'awsIamRoleChained',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::111122223333:role/R',
      parentSessionId: parent,
    });
    const saml: LeappSession = {
      sessionId: 's',
      sessionName: 'SAML',
      type: 'awsIamRoleFederated',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::111122223333:role/S',
    };
    const { candidates, leftOut } = await leappCandidates(
      workspace([
        user('a', 'No keys'),
        chained('x', 'a'),
        saml,
        chained('y', 's'),
        chained('z', 'gone'),
      ]),
      secrets([]),
    );
    expect(candidates.map((each) => each.name)).toEqual(['acme']);
    expect(leftOut.map((each) => [each.from, each.reason])).toEqual([
      ['No keys', "Leapp's keychain holds no access keys for it"],
      ['Role from a', 'it is made from No keys, which does not come in'],
      [
        'SAML',
        expect.stringMatching(/^Rolecall does not sign in through a SAML identity provider/),
      ],
      ['Role from s', 'it is made from SAML, which does not come in'],
      ['Role from gone', 'the session it is made from is no longer in Leapp'],
    ]);
  });
});
