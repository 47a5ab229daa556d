import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { profileNameSchema } from '../../../src-shared/api';
import type { Broker, SlotRef } from '../broker/broker';
import type { Clock } from '../clock';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';
import { JSON_CONTENT_TYPE } from './credentials-body';
import { ecsProfileBody } from './ecs-format';
import { describeZodError, errorBody } from './errors';
import { SLOT_QUERY_PARAMETER } from '../../../src-shared/slot-url';

export interface EcsRoutesOptions {
  broker: Broker;
  clock: Clock;
  /** The credentials answer's body (shared with the fast path, so one cache). */
  bodyOf: (credentials: AwsCredentials) => Buffer;
}

/** The last moment a JavaScript Date can hold; anything later can't be served or listed. */
const MAX_DATE_MS = 8_640_000_000_000_000;

/** `PUT /` and `PUT /slot/<p>` bodies, as the aws-sso-cli ECS client sends them. */
const putBodySchema = z.object({
  ProfileName: profileNameSchema,
  Creds: z.object({
    accessKeyId: z.string().min(1, 'accessKeyId is empty'),
    secretAccessKey: z.string().min(1, 'secretAccessKey is empty'),
    sessionToken: z.string().optional(),
    /** Epoch milliseconds, as IAM Identity Center's GetRoleCredentials returns it. */
    expiration: z
      .number()
      .int()
      .positive()
      .max(MAX_DATE_MS, 'expiration is not a date in epoch milliseconds')
      .optional(),
    /** A string, or a number as aws-sso-cli sends it (its int64), which loses leading zeros. */
    accountId: z
      .union([z.string(), z.number()], { error: 'accountId is neither a string nor a number' })
      .refine(
        (account) =>
          typeof account === 'string' ||
          (Number.isInteger(account) && account >= 1 && account <= 999_999_999_999),
        'accountId is not a 12-digit AWS account ID',
      )
      .transform((account) =>
        typeof account === 'number' ? String(account).padStart(12, '0') : account,
      )
      .optional(),
    roleName: z.string().optional(),
  }),
});

const slotParamsSchema = z.object({ profile: profileNameSchema });
const slotQuerySchema = z.object({ [SLOT_QUERY_PARAMETER]: profileNameSchema.optional() });

/**
 * The ECS container-credentials API, compatible with aws-sso-cli's ECS server: the default slot
 * at `/`, named slots at `/slot/<profile>` (profile URL-escaped) or `/slot?profile=<profile>`.
 */
export const ecsRoutes: FastifyPluginAsync<EcsRoutesOptions> = async (
  app,
  { broker, clock, bodyOf },
) => {
  const send = (credentials: AwsCredentials, reply: FastifyReply) =>
    reply.type(JSON_CONTENT_TYPE).send(bodyOf(credentials));
  // Nearly every request finds valid credentials held: answered synchronously, no promise.
  // The rest (waiting for a renewal, or an error) go through the broker's async path.
  // fastify takes an undefined return as "answered already" and a promise's rejection to the
  // error handler.
  const serve = (slot: SlotRef, reply: FastifyReply): Promise<FastifyReply> | undefined => {
    const ready = broker.servableNow(slot);
    if (!ready)
      return broker.credentialsFor(slot).then(({ credentials }) => send(credentials, reply));
    send(ready.credentials, reply);
    return undefined;
  };

  app.get('/', (_request, reply) => serve({ kind: 'default' }, reply));
  app.get('/creds', (_request, reply) => serve({ kind: 'default' }, reply));

  app.get('/profile', async () => {
    const { profile, credentials } = await broker.credentialsFor({ kind: 'default' });
    return ecsProfileBody(profile, credentials, clock.now());
  });

  app.put('/', async (request) => {
    const body = parse(putBodySchema, request.body);
    broker.put(body.ProfileName, toCredentials(body.Creds, clock.now()), { slot: false });
    return errorBody(200, `Loaded ${body.ProfileName} into the default slot.`);
  });

  app.delete('/', async () => {
    const profile = broker.emptySlot({ kind: 'default' });
    if (profile === null)
      throw new RolecallError('slot-empty', 'The default slot is already empty.', 404);
    return errorBody(200, `Unloaded ${profile} from the default slot.`);
  });

  // `/slot?profile=<name>` is a named slot too (slot-url.ts: for `.` and `..`, which no client
  // keeps in a path). Without the query, GET lists the named slots and DELETE empties them all.
  app.get('/slot', (request, reply) => {
    const profile = queriedProfile(request.query);
    if (profile !== undefined) return serve({ kind: 'named', profile }, reply);
    const now = clock.now();
    const slots = broker.snapshot().slots;
    return reply.send(slots.map((name) => ecsProfileBody(name, broker.peek(name), now)));
  });

  app.delete('/slot', async (request) => {
    const profile = queriedProfile(request.query);
    if (profile !== undefined) return emptyNamedSlot(profile);
    const count = broker.clearNamed();
    return errorBody(200, `Unloaded ${count} named slot${count === 1 ? '' : 's'}.`);
  });

  app.put('/slot', async (request) => {
    const profile = queriedProfile(request.query);
    if (profile === undefined) {
      throw new RolecallError(
        'no-slot-named',
        'Name the slot to store: PUT /slot/<profile>, or PUT /slot?profile=<profile>.',
        404,
      );
    }
    return putNamed(profile, request.body);
  });

  app.get('/slot/:profile', (request, reply) => {
    const { profile } = parse(slotParamsSchema, request.params);
    return serve({ kind: 'named', profile }, reply);
  });

  app.put('/slot/:profile', async (request) => {
    const { profile } = parse(slotParamsSchema, request.params);
    return putNamed(profile, request.body);
  });

  app.delete('/slot/:profile', async (request) => {
    const { profile } = parse(slotParamsSchema, request.params);
    return emptyNamedSlot(profile);
  });

  function putNamed(profile: string, rawBody: unknown) {
    const body = parse(putBodySchema, rawBody);
    if (body.ProfileName !== profile) {
      throw new RolecallError(
        'profile-mismatch',
        `ProfileName ${JSON.stringify(body.ProfileName)} does not match the slot ${JSON.stringify(profile)} in the URL.`,
        400,
      );
    }
    broker.put(profile, toCredentials(body.Creds, clock.now()), { slot: true });
    return errorBody(200, `Loaded ${profile} into its slot.`);
  }

  function emptyNamedSlot(profile: string) {
    if (broker.emptySlot({ kind: 'named', profile }) === null) {
      throw new RolecallError('slot-empty', `Profile ${profile} is not loaded in a slot.`, 404);
    }
    return errorBody(200, `Unloaded ${profile} from its slot.`);
  }
};

/** The profile a `/slot?profile=<name>` query names; undefined without one. */
function queriedProfile(query: unknown): string | undefined {
  return parse(slotQuerySchema, query ?? {})[SLOT_QUERY_PARAMETER];
}

/**
 * Credentials that have already expired are refused: they could only ever be answered with a 503.
 * A past `expiration` may also be epoch seconds sent where milliseconds belong.
 */
function toCredentials(creds: z.infer<typeof putBodySchema>['Creds'], now: number): AwsCredentials {
  if (creds.expiration !== undefined && creds.expiration <= now) {
    throw new RolecallError(
      'bad-request',
      `Creds.expiration: these credentials expired at ${new Date(creds.expiration).toISOString()}; send fresh ones, with expiration in epoch milliseconds.`,
      400,
    );
  }
  const credentials: AwsCredentials = {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) credentials.sessionToken = creds.sessionToken;
  if (creds.expiration !== undefined) credentials.expiresAt = creds.expiration;
  if (creds.accountId) credentials.accountId = creds.accountId;
  // A role name is not enough for an ARN (roles can have paths); keep the name as given.
  if (creds.roleName) credentials.roleName = creds.roleName;
  return credentials;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RolecallError('bad-request', describeZodError(result.error), 400);
  return result.data;
}
