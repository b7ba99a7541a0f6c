#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig, type Config } from '@kindling/config';
import { isAppError } from '@kindling/errors';
import { createLogger, type Logger } from '@kindling/logger';
import { adminCreateCommand } from './commands/admin-create-command.js';
import { auditVerifyCommand } from './commands/audit-verify-command.js';
import { dbMigrateCommand } from './commands/db-migrate-command.js';
import { jobRunCommand } from './commands/job-run-command.js';
import { startCommand } from './commands/start-command.js';
import { kindlingVersion } from './runtime/package-version.js';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Config is validated before anything starts; a bad value stops here with the variable named. */
function withConfig(action: (config: Config, logger: Logger) => Promise<void>): () => Promise<void> {
  return async () => {
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, name: 'kindling' });
    await action(config, logger);
  };
}

const program = new Command()
  .name('kindling')
  .description('Kindling: donor intelligence for nonprofits. Runs the platform and its admin and batch commands.')
  .version(kindlingVersion)
  .showHelpAfterError();

program
  .command('start')
  .description('run the whole platform: PostgreSQL (embedded unless DATABASE_URL is set), migrations, API + web app, job dispatcher')
  .action(withConfig((config, logger) => startCommand(config, logger, print)));

program
  .command('db')
  .description('database administration')
  .command('migrate')
  .description('apply pending migrations (forward-only) and exit')
  .action(withConfig((config, logger) => dbMigrateCommand(config, logger, print)));

program
  .command('audit')
  .description('audit log administration')
  .command('verify')
  .description("check the audit log's hash chain as the database owner; exits 1 naming the first bad event")
  .action(withConfig((config, logger) => auditVerifyCommand(config, logger, print)));

program
  .command('admin')
  .description('organisations and their people')
  .command('create')
  .description('create an organisation and its owner, and print the owner\'s one-time enrolment link')
  .requiredOption('--org <name>', 'name of the organisation')
  .requiredOption('--email <email>', 'email address of its owner')
  .action((options: { org: string; email: string }) => withConfig((config, logger) => adminCreateCommand(options, config, logger, print))());

program
  .command('job')
  .description('batch jobs')
  .command('run')
  .description('run one claimed job in this process (started by the job dispatcher)')
  .argument('<id>', 'job id')
  .action((id: string) => withConfig((config, logger) => jobRunCommand(id, config, logger))());

try {
  await program.parseAsync(process.argv);
  process.exitCode = 0;
} catch (error) {
  // Our own errors carry a message written for the person at the terminal; anything else is a bug.
  if (isAppError(error)) {
    process.stderr.write(`kindling: ${error.message}\n`);
  } else {
    process.stderr.write(`kindling: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}
