/**
 * A credentials PUT is well under 4 KiB and control calls are smaller; 64 KiB leaves room for
 * long session tokens while keeping a flood of large bodies cheap to refuse.
 */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Profile names may be long (discovered SSO roles are named "<account>/<role>"), but the router
 * refuses anything beyond this, so a megabyte of URL never reaches a handler.
 */
export const MAX_PARAM_LENGTH = 1024;
