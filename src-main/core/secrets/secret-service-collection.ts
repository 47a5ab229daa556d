import { RolecallError } from '../errors';

/** One item of a Secret Service collection, as the Secret Service API gives it. */
export interface CollectionItem {
  label: string;
  attributes: Record<string, string>;
  /** The secret's bytes. */
  secret: Buffer;
}

const SERVICE = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
const COLLECTION_PATH_PREFIX = '/org/freedesktop/secrets/collection/';
/** Time for a person to type their keyring password into the unlock prompt. */
const UNLOCK_PROMPT_TIMEOUT_MS = 120_000;
/** A Secret Service that answers nothing within this is taken as absent, not waited on. */
const CALL_TIMEOUT_MS = 10_000;

/**
 * Reads every item of one named collection of the Secret Service (gnome-keyring, KeePassXC, …)
 * over D-Bus: what keytar cannot do, since keytar only finds its own items in the default
 * collection by service and account. Another application's collection (aws-vault keeps its keys
 * in `awsvault`, each item labelled with the profile name and holding JSON) is found by name as
 * that application finds it: the object path `/org/freedesktop/secrets/collection/<name>`, with
 * the bus's escaping (`_xx` for a byte that is not a letter or digit) undone. The secrets travel
 * over a "plain" session on the user's own bus, as libsecret sends them by default.
 *
 * Resolves null when there is no session bus, no Secret Service on it, or no such collection: the
 * collection does not exist on this machine. A locked collection is unlocked through the Secret
 * Service's own prompt. Reads only: nothing in the collection is changed.
 */
export async function readCollection(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CollectionItem[] | null> {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) return null;
  const dbus = await import('dbus-next');
  let bus: import('dbus-next').MessageBus;
  try {
    bus = dbus.sessionBus({ busAddress: nodeReachableAddress(address) });
  } catch {
    return null;
  }
  // dbus-next reports a bus that goes away as an 'error' event; without a listener it would end
  // the process.
  bus.on('error', () => {});
  try {
    return await withTimeout(read(dbus, bus, name), CALL_TIMEOUT_MS + UNLOCK_PROMPT_TIMEOUT_MS);
  } finally {
    bus.disconnect();
  }
}

async function read(
  dbus: typeof import('dbus-next'),
  bus: import('dbus-next').MessageBus,
  name: string,
): Promise<CollectionItem[] | null> {
  let service: import('dbus-next').ProxyObject;
  try {
    service = await withTimeout(bus.getProxyObject(SERVICE, SERVICE_PATH), CALL_TIMEOUT_MS);
  } catch {
    return null; // no Secret Service on this bus
  }
  const props = service.getInterface('org.freedesktop.DBus.Properties');
  const secrets = service.getInterface('org.freedesktop.Secret.Service');
  const collections = (await props.Get!('org.freedesktop.Secret.Service', 'Collections')) as {
    value: string[];
  };
  const path = collections.value.find(
    (each) =>
      each.startsWith(COLLECTION_PATH_PREFIX) &&
      unescapeBusPath(each.slice(COLLECTION_PATH_PREFIX.length)) === name,
  );
  if (path === undefined) return null;

  const collection = await bus.getProxyObject(SERVICE, path);
  const collectionProps = collection.getInterface('org.freedesktop.DBus.Properties');
  const locked = (await collectionProps.Get!('org.freedesktop.Secret.Collection', 'Locked')) as {
    value: boolean;
  };
  if (locked.value) await unlock(bus, secrets, path, name);
  const items = (
    (await collectionProps.Get!('org.freedesktop.Secret.Collection', 'Items')) as {
      value: string[];
    }
  ).value;
  if (items.length === 0) return [];

  const [, session] = (await secrets.OpenSession!('plain', new dbus.Variant('s', ''))) as [
    unknown,
    string,
  ];
  try {
    const found = (await secrets.GetSecrets!(items, session)) as Record<
      string,
      [string, Buffer, Buffer, string]
    >;
    const result: CollectionItem[] = [];
    for (const item of items) {
      const secret = found[item];
      if (!secret) continue; // still locked, or gone since it was listed
      const itemProps = (await bus.getProxyObject(SERVICE, item)).getInterface(
        'org.freedesktop.DBus.Properties',
      );
      const label = (await itemProps.Get!('org.freedesktop.Secret.Item', 'Label')) as {
        value: string;
      };
      const attributes = (await itemProps.Get!('org.freedesktop.Secret.Item', 'Attributes')) as {
        value: Record<string, string>;
      };
      result.push({ label: label.value, attributes: attributes.value, secret: secret[2] });
    }
    return result;
  } finally {
    const sessionObject = await bus.getProxyObject(SERVICE, session);
    await sessionObject.getInterface('org.freedesktop.Secret.Session').Close!().catch(() => {});
  }
}

async function unlock(
  bus: import('dbus-next').MessageBus,
  secrets: import('dbus-next').ClientInterface,
  path: string,
  name: string,
): Promise<void> {
  const [, prompt] = (await secrets.Unlock!([path])) as [string[], string];
  if (prompt === '/') return;
  const promptObject = await bus.getProxyObject(SERVICE, prompt);
  const promptInterface = promptObject.getInterface('org.freedesktop.Secret.Prompt');
  const dismissed = await new Promise<boolean>((resolve, reject) => {
    promptInterface.on('Completed', (wasDismissed: boolean) => resolve(wasDismissed));
    promptInterface.Prompt!('').catch(reject);
  });
  if (dismissed) {
    throw new RolecallError(
      'keyring-locked',
      `The keyring collection ${name} stayed locked (its unlock prompt was dismissed), so nothing was imported; run this again and unlock it.`,
      423,
    );
  }
}

/** `_2d` → `-`: the bus escapes every byte of a collection's name that is not a letter or digit. */
export function unescapeBusPath(segment: string): string {
  return segment.replace(/_([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * dbus-next reaches `unix:abstract=` addresses (dbus-launch's) only through an optional native
 * module; Node itself connects to an abstract socket given as a path that starts with NUL.
 */
export function nodeReachableAddress(address: string): string {
  const abstract = /(?:^|;)unix:(?:[^;]*,)?abstract=([^,;]+)/.exec(address);
  if (!abstract || /(?:^|;)unix:(?:[^;]*,)?path=/.test(address)) return address;
  return `unix:socket=\u0000${decodeURIComponent(abstract[1]!)}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RolecallError(
            'keyring-timeout',
            `The Secret Service did not answer within ${Math.round(ms / 1000)} seconds, so nothing was imported; check that your keyring is running and unlocked, then run this again.`,
            504,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
