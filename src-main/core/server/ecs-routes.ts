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
    accountId: z.string().optional(),
    roleName: z.string().optional(),
  }),
});

const slotParamsSchema = z.object({ profile: profileNameSchema });

/**
 * The ECS container-credentials API, compatible with aws-sso-cli's ECS server: the default slot
 * at `/`, named slots at `/slot/<profile>` (profile URL-escaped).
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

  app.get('/slot', async () => {
    const snapshot = broker.snapshot();
    const now = clock.now();
    return snapshot.slots.map((profile) => ecsProfileBody(profile, broker.peek(profile), now));
  });

  app.delete('/slot', async () => {
    const count = broker.clearNamed();
    return errorBody(200, `Unloaded ${count} named slot${count === 1 ? '' : 's'}.`);
  });

  app.get('/slot/:profile', (request, reply) => {
    const { profile } = parse(slotParamsSchema, request.params);
    return serve({ kind: 'named', profile }, reply);
  });

  app.put('/slot/:profile', async (request) => {
    const { profile } = parse(slotParamsSchema, request.params);
    const body = parse(putBodySchema, request.body);
    if (body.ProfileName !== profile) {
      throw new RolecallError(
        'profile-mismatch',
        `ProfileName ${JSON.stringify(body.ProfileName)} does not match the slot ${JSON.stringify(profile)} in the URL.`,
        400,
      );
    }
    broker.put(profile, toCredentials(body.Creds, clock.now()), { slot: true });
    return errorBody(200, `Loaded ${profile} into its slot.`);
  });

  app.delete('/slot/:profile', async (request) => {
    const { profile } = parse(slotParamsSchema, request.params);
    if (broker.emptySlot({ kind: 'named', profile }) === null) {
      throw new RolecallError('slot-empty', `Profile ${profile} is not loaded in a slot.`, 404);
    }
    return errorBody(200, `Unloaded ${profile} from its slot.`);
  });
};

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
