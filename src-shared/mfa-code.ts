/**
 * What an MFA code looks like, apart from the API's schemas so the doors that check a typed code
 * (a terminal prompt, `rolecall answer`, `rolecall status`) need not load zod to do it.
 */
export const MFA_CODE_PATTERN = /^[0-9]{6,8}$/;
export const MFA_CODE_MESSAGE = 'MFA code must be the 6 digits your MFA device shows';
