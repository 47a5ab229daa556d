import { describe, expect, it } from 'vitest';
import { groupId, socketOptions } from './socket-options';

describe('socketOptions', () => {
  it('is nothing without --socket, and refuses a mode or group without it', async () => {
    expect(await socketOptions({})).toBeUndefined();
    await expect(socketOptions({ socketMode: 0o660 })).rejects.toThrow(
      '--socket-mode and --socket-group need --socket <path>.',
    );
  });

  it('defaults to 0600 and takes a group only with a mode that gives it something', async () => {
    expect(await socketOptions({ socket: '/tmp/rc.sock' })).toEqual({
      path: '/tmp/rc.sock',
      mode: 0o600,
    });
    await expect(socketOptions({ socket: '/tmp/rc.sock', socketGroup: '0' })).rejects.toThrow(
      '--socket-group 0 gives that group nothing with mode 0600; add --socket-mode 0660.',
    );
    expect(
      await socketOptions({ socket: '/tmp/rc.sock', socketMode: 0o660, socketGroup: '0' }),
    ).toEqual({ path: '/tmp/rc.sock', mode: 0o660, gid: 0 });
  });
});

describe('groupId', () => {
  it.skipIf(process.platform === 'win32')('finds a group by its name or number', async () => {
    // Group 0 is root on Linux, wheel on macOS.
    const name = process.platform === 'darwin' ? 'wheel' : 'root';
    expect(await groupId(name)).toBe(0);
    expect(await groupId('4242')).toBe(4242);
  });

  it('says so for a group that does not exist', async () => {
    await expect(groupId('no-such-group-rolecall')).rejects.toThrow(
      "There is no group named no-such-group-rolecall on this machine; give --socket-group an existing group's name or number.",
    );
  });
});
