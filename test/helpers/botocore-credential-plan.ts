import { AwsFilesHelper, filesRequest } from './aws-files-helper';

/** What botocore's credential resolver does for `--profile <name>` (see the Python script). */
export type BotocorePlan =
  | { ok: true; method: string | null; sources: Array<[string, string | null]> }
  | { ok: false; error: string; message: string };

/**
 * One Python process running botocore's credential resolver, asked one profile at a time. The
 * process gets long-lived keys in its environment, so a `credential_source = Environment` finds
 * credentials there; the AWS CLI's own environment variables otherwise play no part (a named
 * profile ignores them).
 */
export class BotocoreCredentialPlan {
  private constructor(private readonly helper: AwsFilesHelper) {}

  static start(): BotocoreCredentialPlan {
    return new BotocoreCredentialPlan(
      AwsFilesHelper.start('botocore_credential_plan.py', {
        AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT',
        AWS_SECRET_ACCESS_KEY: 'environment-secret',
        // Nothing may reach the network or a real home.
        HOME: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
    );
  }

  /** Files as text; null for a file that does not exist. */
  plan(config: string | null, credentials: string | null, profile: string): Promise<BotocorePlan> {
    return this.helper.ask({ ...filesRequest(config, credentials), profile });
  }

  stop(): Promise<void> {
    return this.helper.stop();
  }
}
