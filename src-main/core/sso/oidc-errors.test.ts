import {
  InvalidClientException,
  InvalidRequestException,
  SSOOIDCServiceException,
} from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { isInvalidClient, oidcError, oidcFailureInWords } from './oidc-errors';

const session = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1' };
const metadata = (status: number) => ({ $metadata: { httpStatusCode: status } });

describe('OIDC failures in words', () => {
  it("uses the service's error_description, naming the exception and status", () => {
    const error = new InvalidClientException({
      message: 'UnknownError',
      error: 'invalid_client',
      error_description: 'Invalid client provided',
      ...metadata(401),
    });
    expect(oidcFailureInWords(error)).toBe(
      'Invalid client provided (InvalidClientException, invalid_client, HTTP 401)',
    );
  });

  it('never ends in a bare colon or the SDK placeholder when the answer has no words', () => {
    const error = new InvalidRequestException({
      message: 'UnknownError',
      error: 'invalid_request',
      error_description: '',
      ...metadata(400),
    });
    const words = oidcFailureInWords(error);
    expect(words).toBe(
      'IAM Identity Center answered InvalidRequestException, invalid_request, HTTP 400',
    );
    expect(oidcError(error, session, 'start the sign-in').message).toBe(
      'Could not start the sign-in for corp (us-east-1): IAM Identity Center answered InvalidRequestException, invalid_request, HTTP 400',
    );
  });

  it('names an unmodelled exception and its status', () => {
    const error = new SSOOIDCServiceException({
      name: 'InternalServerException',
      $fault: 'server',
      message: 'UnknownError',
      ...metadata(500),
    });
    expect(oidcFailureInWords(error)).toBe(
      'IAM Identity Center answered InternalServerException, HTTP 500',
    );
  });

  it('says what a refused connection tried when its own message is empty', () => {
    const refused = Object.assign(
      new AggregateError(
        [
          Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' }),
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
        ],
        '',
      ),
      { code: 'ECONNREFUSED', $metadata: { attempts: 3 } },
    );
    expect(oidcError(refused, session, 'start the sign-in').message).toBe(
      'Could not start the sign-in for corp (us-east-1): connect ECONNREFUSED ::1:443; connect ECONNREFUSED 127.0.0.1:443',
    );
    expect(oidcError(refused, session, 'start the sign-in').code).toBe('sso-unreachable');
    const bare = Object.assign(new Error(''), { code: 'ETIMEDOUT' });
    expect(oidcFailureInWords(bare)).toBe('ETIMEDOUT');
  });

  it('recognises an unknown client by its exception or its OAuth error code', () => {
    expect(isInvalidClient(new InvalidClientException({ message: 'x', ...metadata(401) }))).toBe(
      true,
    );
    expect(isInvalidClient({ error: 'invalid_client' })).toBe(true);
    expect(isInvalidClient({ error: 'invalid_grant' })).toBe(false);
    expect(isInvalidClient(null)).toBe(false);
  });
});
