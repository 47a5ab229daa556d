/**
 * Makes `process.platform` report another system until the returned function is called, so the
 * shell's macOS and Windows paths run in tests on Linux. Only what reads `process.platform` at
 * call time sees it (node:path chose its flavour at start-up and keeps it).
 */
export function pretendPlatform(platform: NodeJS.Platform): () => void {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...original, value: platform });
  return () => Object.defineProperty(process, 'platform', original);
}
