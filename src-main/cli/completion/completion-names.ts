import { loadProfiles } from '../../core/config/profiles';
import { connect, findServer, type ServerClient } from '../client';
import type { CliContext } from '../context';
import type { NameList } from './completion-spec';

/**
 * The names a completion script offers: from the running server when there is one — which knows
 * the roles found by signing in to IAM Identity Center, and what is loaded — else from the AWS
 * config files alone (nothing is loaded then, and nothing waits). Never a sign-in, never AWS.
 */
export async function completionNames(ctx: CliContext, list: NameList): Promise<string[]> {
  const names = (await findServer(ctx.home))
    ? await fromServer(await connect(ctx.home, ctx.secrets), list)
    : await fromFiles(list);
  // One per line: a name with a line break in it (which no slot can serve) cannot be offered.
  return [...new Set(names)].filter((name) => name !== '' && !/[\r\n]/.test(name));
}

async function fromServer(client: ServerClient, list: NameList): Promise<string[]> {
  switch (list) {
    case 'profiles':
      return (await client.call('listProfiles')).map((profile) => profile.name);
    case 'sessions':
      return sessionNames((await client.call('listSessions')).map((session) => session.name));
    case 'slots':
      return (await client.call('getSnapshot')).slots;
    case 'loaded': {
      const snapshot = await client.call('getSnapshot');
      return [
        ...(snapshot.defaultProfile === null ? [] : [snapshot.defaultProfile]),
        ...snapshot.slots,
      ];
    }
    case 'questions':
      // What `rolecall answer` takes: a profile that waits, or the session to sign in to.
      return ((await client.call('getSnapshot')).inputRequests ?? []).flatMap((request) => [
        ...request.waiting,
        ...(request.ssoSession ? [request.ssoSession] : []),
      ]);
  }
}

async function fromFiles(list: NameList): Promise<string[]> {
  switch (list) {
    case 'profiles':
      return (await loadProfiles()).profiles.map((profile) => profile.name);
    case 'sessions':
      return sessionNames((await loadProfiles()).ssoSessions.map((session) => session.name));
    default:
      return [];
  }
}

/** A legacy session is named by its start URL, which no shell completes well: names only. */
function sessionNames(names: string[]): string[] {
  return names.filter((name) => !name.includes('://'));
}
