/**
 * Does the token check take the same time whatever is wrong with a presented token? Measures
 * `createAuthorizationCheck` (the server's check) on the kinds of wrong header an attacker can
 * send, interleaved round by round so drift and GC hit every kind alike, and reports the median
 * time per check. A check that compared strings character by character would answer a header
 * sharing a long prefix with the token measurably slower than one sharing none.
 *
 * Run: npm run bench:auth   (results go in docs/benchmarks.md)
 */
import { randomBytes } from 'node:crypto';
import { createAuthorizationCheck } from '../src-main/core/server/auth';

const token = randomBytes(32).toString('base64url');
const check = createAuthorizationCheck(() => token);
const flipLast = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A');

const kinds: Record<string, string | undefined> = {
  'missing header': undefined,
  'wrong token, same length': `Bearer ${randomBytes(32).toString('base64url')}`,
  'right token but the last character': `Bearer ${flipLast(token)}`,
  'right prefix (half the token)': `Bearer ${token.slice(0, 22)}`,
  'wrong, as long as half the token': `Bearer ${randomBytes(32).toString('base64url').slice(0, 22)}`,
  'token without its scheme': token,
  'scheme only': 'Bearer ',
  'very long header (8 KiB)': `Bearer ${'x'.repeat(8192)}`,
  'right token (for reference)': `Bearer ${token}`,
};

const ROUNDS = 200;
const PER_ROUND = 500;
const samples = new Map<string, number[]>(Object.keys(kinds).map((name) => [name, []]));

for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, header] of Object.entries(kinds)) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < PER_ROUND; index += 1) check(header);
    samples.get(name)!.push(Number(process.hrtime.bigint() - start) / PER_ROUND);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * p)]!;

console.log(`Node ${process.version}, ${ROUNDS} rounds × ${PER_ROUND} checks per kind\n`);
console.log('| presented Authorization | median per check | p90 of rounds |');
console.log('| :-- | --: | --: |');
for (const [name, values] of samples) {
  console.log(
    `| ${name} | ${Math.round(median(values))} ns | ${Math.round(percentile(values, 0.9))} ns |`,
  );
}
