import type { Command } from 'commander';
import { registerAnswer } from './commands/answer';
import { registerCert } from './commands/cert';
import { registerCognito } from './commands/cognito';
import { registerCompletion } from './commands/completion';
import { registerConsole } from './commands/console';
import { registerCredentialProcess } from './commands/credential-process';
import { registerEnv } from './commands/env';
import { registerExec } from './commands/exec';
import { registerImport } from './commands/import';
import { registerKeys } from './commands/keys';
import { registerOAuth } from './commands/oauth';
import { registerLogin } from './commands/login';
import { registerProfiles } from './commands/profiles';
import { registerServe } from './commands/serve';
import { registerService } from './commands/service';
import { registerSlotCommands } from './commands/slots';
import { registerStatus } from './commands/status';
import { registerToken } from './commands/token';
import { registerTrust } from './commands/trust';
import { registerUi } from './commands/ui';
import type { CliContext } from './context';
import { rootCommand } from './root-command';

/** Every command, for help, completion and the docs; `run` loads this unless a hot path runs. */
export function buildProgram(context: () => CliContext): Command {
  const program = rootCommand(context);
  registerServe(program, context);
  registerService(program, context);
  registerStatus(program, context);
  registerSlotCommands(program, context);
  registerConsole(program, context);
  registerAnswer(program, context);
  registerLogin(program, context);
  registerProfiles(program, context);
  registerEnv(program, context);
  registerExec(program, context);
  registerToken(program, context);
  registerCredentialProcess(program, context);
  registerKeys(program, context);
  registerCognito(program, context);
  registerImport(program, context);
  registerOAuth(program, context);
  registerCert(program, context);
  registerTrust(program, context);
  registerUi(program, context);
  registerCompletion(program, context);
  return program;
}
