import { describe, expect, it } from 'vitest';
import { parseServerInfo } from './runtime-file';

const info = {
  url: 'https://127.0.0.1:4144/',
  host: '127.0.0.1',
  port: 4144,
  tls: true,
  caFile: '/home/me/.rolecall/tls/ca.pem',
  pid: 4242,
  version: '0.1.0',
  startedAt: '2026-11-30T12:00:00.000Z',
};

describe('parseServerInfo', () => {
  it('reads what a server wrote, with or without a CA file', () => {
    expect(parseServerInfo(JSON.stringify(info))).toEqual(info);
    const { caFile: _, ...plain } = info;
    expect(parseServerInfo(JSON.stringify(plain))).toEqual(plain);
  });

  it('reads the socket a server also answers on', () => {
    const withSocket = { ...info, socket: '/run/user/1000/rolecall.sock' };
    expect(parseServerInfo(JSON.stringify(withSocket))).toEqual(withSocket);
    expect(parseServerInfo(JSON.stringify({ ...info, socket: 7 }))).toBeNull();
  });

  it('keeps only the fields of a server info', () => {
    expect(parseServerInfo(JSON.stringify({ ...info, extra: 'x' }))).toEqual(info);
  });

  it.each([
    ['not JSON', '{"url":'],
    ['not an object', '[1]'],
    ['null', 'null'],
    ['a missing field', JSON.stringify({ ...info, pid: undefined })],
    ['a port that is not a whole number', JSON.stringify({ ...info, port: 41.5 })],
    ['a pid given as a string', JSON.stringify({ ...info, pid: '4242' })],
    ['tls that is not a boolean', JSON.stringify({ ...info, tls: 'yes' })],
    ['a CA file that is not a string', JSON.stringify({ ...info, caFile: 1 })],
  ])('is null for %s', (_, text) => {
    expect(parseServerInfo(text)).toBeNull();
  });
});
