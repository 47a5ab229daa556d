/**
 * Child processes of a source get this variable, so `rolecall credential-process` run as a
 * profile's own credential_process can tell it is being called by Rolecall and refuse to loop.
 * In a module of its own, so that command reads it without loading every source.
 */
export const SOURCE_PROFILE_ENV = 'ROLECALL_SOURCE_PROFILE';
