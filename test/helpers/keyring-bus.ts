import { createHash } from 'node:crypto';
import dbus from 'dbus-next';

/**
 * The test's own Secret Service client (over dbus-next, on the private bus scripts/with-keyring.mjs
 * starts): makes another application's collection and items as that application would, and
 * fingerprints every item of every collection, so a test can prove nothing in the keyring changed.
 */
const SERVICE = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';

async function withService<T>(
  use: (bus: dbus.MessageBus, session: string, service: dbus.ClientInterface) => Promise<T>,
): Promise<T> {
  const bus = dbus.sessionBus();
  bus.on('error', () => {});
  try {
    const object = await bus.getProxyObject(SERVICE, SERVICE_PATH);
    const service = object.getInterface('org.freedesktop.Secret.Service');
    const [, session] = (await service.OpenSession!('plain', new dbus.Variant('s', ''))) as [
      unknown,
      string,
    ];
    return await use(bus, session, service);
  } finally {
    bus.disconnect();
  }
}

async function property<T>(bus: dbus.MessageBus, path: string, iface: string, name: string) {
  const props = (await bus.getProxyObject(SERVICE, path)).getInterface(
    'org.freedesktop.DBus.Properties',
  );
  return ((await props.Get!(iface, name)) as { value: T }).value;
}

/**
 * Makes (or finds) the collection labelled `label` — gnome-keyring names its path after the label,
 * as it does for aws-vault's `awsvault` — unlocked, without a prompt.
 */
export async function ensureCollection(label: string): Promise<string> {
  return withService(async (bus, session) => {
    const existing = await property<string[]>(
      bus,
      SERVICE_PATH,
      'org.freedesktop.Secret.Service',
      'Collections',
    );
    const path = `${SERVICE_PATH}/collection/${label}`;
    if (existing.includes(path)) return path;
    const guilt = (await bus.getProxyObject(SERVICE, SERVICE_PATH)).getInterface(
      'org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface',
    );
    return (await guilt.CreateWithMasterPassword!(
      { 'org.freedesktop.Secret.Collection.Label': new dbus.Variant('s', label) },
      [session, Buffer.alloc(0), Buffer.from('test-collection-password'), 'text/plain'],
    )) as string;
  });
}

/** Adds an item as the Go keyring library's Secret Service backend does: label = key, attribute profile = key. */
export async function addItem(collection: string, key: string, secret: string): Promise<void> {
  await withService(async (bus, session) => {
    const target = (await bus.getProxyObject(SERVICE, collection)).getInterface(
      'org.freedesktop.Secret.Collection',
    );
    await target.CreateItem!(
      {
        'org.freedesktop.Secret.Item.Label': new dbus.Variant('s', key),
        'org.freedesktop.Secret.Item.Attributes': new dbus.Variant('a{ss}', { profile: key }),
      },
      [session, Buffer.alloc(0), Buffer.from(secret), 'application/json'],
      true,
    );
  });
}

export async function deleteCollection(collection: string): Promise<void> {
  await withService(async (bus) => {
    const target = (await bus.getProxyObject(SERVICE, collection)).getInterface(
      'org.freedesktop.Secret.Collection',
    );
    await target.Delete!();
  }).catch(() => undefined);
}

/**
 * A digest of every item of every collection that `keep` keeps (all, by default): path, label,
 * attributes and secret. Test files run side by side against one keyring, so a test that wants
 * "nothing changed" keeps only the items it could have changed.
 */
export async function keyringDigest(
  keep: (item: { collection: string; attributes: Record<string, string> }) => boolean = () => true,
): Promise<string> {
  return withService(async (bus, session, service) => {
    const hash = createHash('sha256');
    const collections = await property<string[]>(
      bus,
      SERVICE_PATH,
      'org.freedesktop.Secret.Service',
      'Collections',
    );
    for (const collection of [...collections].sort()) {
      const items = await property<string[]>(
        bus,
        collection,
        'org.freedesktop.Secret.Collection',
        'Items',
      );
      const secrets = (await service.GetSecrets!(items, session)) as Record<
        string,
        [string, Buffer, Buffer, string]
      >;
      for (const item of [...items].sort()) {
        const label = await property<string>(bus, item, 'org.freedesktop.Secret.Item', 'Label');
        const attributes = await property<Record<string, string>>(
          bus,
          item,
          'org.freedesktop.Secret.Item',
          'Attributes',
        );
        if (!keep({ collection, attributes })) continue;
        // gnome-keyring may add libsecret's `xdg:schema` to an item written without one (seen
        // while another process read the collection): the keyring's bookkeeping, not the data
        // of the tool that wrote the item.
        const { 'xdg:schema': _schema, ...own } = attributes;
        hash.update(JSON.stringify([item, label, Object.entries(own).sort()]));
        hash.update(secrets[item]?.[2] ?? Buffer.alloc(0));
      }
    }
    return hash.digest('hex');
  });
}
