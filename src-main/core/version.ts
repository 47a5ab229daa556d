import packageJson from '../../package.json';

export const ROLECALL_VERSION: string = packageJson.version;
