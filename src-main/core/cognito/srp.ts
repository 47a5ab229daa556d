import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The client side of Amazon Cognito's Secure Remote Password sign-in (USER_SRP_AUTH): SRP-6a over
 * the 3072-bit group of RFC 5054 with SHA-256, plus Cognito's own steps — the password key comes
 * out of HKDF ("Caldera Derived Key"), and the proof is an HMAC of the pool name, the user, the
 * server's secret block and a timestamp. The password itself never leaves this process.
 *
 * Numbers travel as hex. Wherever one is hashed it is first written as Cognito writes it: an even
 * number of hex digits, with a leading 00 when the top bit is set, so it reads as positive.
 */

/** RFC 5054's 3072-bit group; its generator is 2. */
export const SRP_N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const SRP_G = 2n;
/** k = H(N | g), SRP-6a's multiplier. */
export const SRP_K = hashHexToBigInt(padHex(SRP_N) + padHex(SRP_G));

/** HKDF's info for the password key, as Cognito names it. */
const KEY_INFO = 'Caldera Derived Key';

/** A number in hex as Cognito hashes it: even length, 00 in front when the top bit is set. */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('SRP values are never negative');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hashHexToBigInt(hex: string): bigint {
  return BigInt(`0x${sha256Hex(Buffer.from(hex, 'hex'))}`);
}

/** The pool's name as SRP uses it: what follows the region in the pool ID (us-east-1_AbC → AbC). */
export function srpPoolName(userPoolId: string): string {
  return userPoolId.slice(userPoolId.indexOf('_') + 1);
}

/** One SRP sign-in's private and public ephemeral values. */
export interface SrpEphemeral {
  /** a: random, private to this sign-in. */
  secret: bigint;
  /** A = g^a mod N, sent as SRP_A. */
  public: bigint;
}

/** A fresh a and its A; `secret` is given only by tests replaying a known vector. */
export function srpEphemeral(secret?: bigint): SrpEphemeral {
  for (;;) {
    // 1024 random bits, as the AWS SDKs draw them: far above SRP's 256-bit minimum.
    const a = secret ?? BigInt(`0x${randomBytes(128).toString('hex')}`);
    const A = modPow(SRP_G, a, SRP_N);
    if (A % SRP_N !== 0n) return { secret: a, public: A };
    if (secret !== undefined) throw new RangeError('A mod N is 0');
  }
}

/** What the PASSWORD_VERIFIER challenge gave: SRP_B, SALT and SECRET_BLOCK, and USER_ID_FOR_SRP. */
export interface SrpChallenge {
  userIdForSrp: string;
  srpB: string;
  salt: string;
  secretBlock: string;
}

/**
 * The 16-byte key both sides derive from the password (HKDF of S, salted with u). Throws when the
 * server's B or the scrambler u is 0 mod N, which would let anyone pass without the password.
 */
export function passwordAuthenticationKey(
  poolName: string,
  ephemeral: SrpEphemeral,
  challenge: Pick<SrpChallenge, 'userIdForSrp' | 'srpB' | 'salt'>,
  password: string,
): Buffer {
  const B = BigInt(`0x${challenge.srpB}`);
  if (B % SRP_N === 0n) throw new RangeError('the server sent an SRP_B of 0 mod N');
  const u = hashHexToBigInt(padHex(ephemeral.public) + padHex(B));
  if (u === 0n) throw new RangeError('the SRP scrambler u is 0');
  const identity = sha256Hex(`${poolName}${challenge.userIdForSrp}:${password}`);
  const x = hashHexToBigInt(padHex(BigInt(`0x${challenge.salt}`)) + identity);
  const base = B - ((SRP_K * modPow(SRP_G, x, SRP_N)) % SRP_N);
  const S = modPow(base, ephemeral.secret + u * x, SRP_N);
  return hkdfFirstBlock(Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'));
}

/** HKDF-SHA256 (RFC 5869) cut to 16 bytes: one block of expand is enough. */
function hkdfFirstBlock(inputKey: Buffer, salt: Buffer): Buffer {
  const pseudoRandomKey = createHmac('sha256', salt).update(inputKey).digest();
  return createHmac('sha256', pseudoRandomKey)
    .update(Buffer.concat([Buffer.from(KEY_INFO, 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** The proof sent back as PASSWORD_CLAIM_SIGNATURE. */
export function passwordClaimSignature(
  key: Buffer,
  poolName: string,
  userIdForSrp: string,
  secretBlock: string,
  timestamp: string,
): string {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(userIdForSrp, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The TIMESTAMP Cognito expects, "Tue Dec 1 01:30:03 UTC 2026": the day of the month without a
 * leading zero (Cognito refuses "01"), the time with them.
 */
export function srpTimestamp(at: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${DAYS[at.getUTCDay()]} ${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} UTC ${at.getUTCFullYear()}`;
}

/**
 * SECRET_HASH, for app clients that have a secret: Base64(HMAC-SHA256(secret, username + client
 * ID)). The username is the one the call is about (USER_ID_FOR_SRP after the SRP challenge).
 */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(`${username}${clientId}`).digest('base64');
}
