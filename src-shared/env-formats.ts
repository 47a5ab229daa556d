/** Shells `rolecall env` and the UI's copy button can write exports for. */
export const envFormats = ['sh', 'fish', 'powershell', 'json'] as const;
export type EnvFormat = (typeof envFormats)[number];
