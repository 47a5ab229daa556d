/**
 * node:crypto, loaded on first use. Loading it costs a few milliseconds (it brings Node's streams
 * along), and the modules that use it for one rare step — a new token, a lock file's name, a
 * keychain scope — are loaded by every command, including those a shell prompt or an AWS SDK
 * runs many times a minute.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
