#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig, type Config } from '@kindling/config';
import { isAppError } from '@kindling/errors';
import { createLogger, type Logger } from '@kindling/logger';
import { adminCreateCommand } from './commands/admin-create-command.js';
import { adminResetMfaCommand } from './commands/admin-reset-mfa-command.js';
import { auditVerifyCommand } from './commands/audit-verify-command.js';
import { backupCreateCommand, backupListCommand, backupRestoreCommand } from './commands/backup-command.js';
import { dbMigrateCommand } from './commands/db-migrate-command.js';
import { demoDataCommand, type DemoDataCommandOptions } from './commands/demo-data-command.js';
import { modelEvaluateCommand, modelFeaturesCommand, type ModelEvaluateOptions } from './commands/model-evaluate-command.js';
import { importCheckCommand, type ImportCheckCommandOptions } from './commands/import-check-command.js';
import { importCommand, type ImportCommandOptions } from './commands/import-command.js';
import { jobRunCommand } from './commands/job-run-command.js';
import { keysRotateCommand } from './commands/keys-rotate-command.js';
import { orgDeleteCommand } from './commands/org-delete-command.js';
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
  .showHelpAfterError()
  // `import` has options of its own and an `import check` with the same names: options belong to
  // the command they follow.
  .enablePositionalOptions();

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

const admin = program.command('admin').description('organisations and their people');
admin
  .command('create')
  .description('create an organisation and its owner, and print the owner\'s one-time enrolment link')
  .requiredOption('--org <name>', 'name of the organisation')
  .requiredOption('--email <email>', 'email address of its owner')
  .action((options: { org: string; email: string }) => withConfig((config, logger) => adminCreateCommand(options, config, logger, print))());
admin
  .command('reset-mfa')
  .description("remove a person's authenticator app, recovery codes and passkeys (lost phone); they enrol again at their next sign-in")
  .requiredOption('--email <email>', 'email address of the account')
  .action((options: { email: string }) => withConfig((config, logger) => adminResetMfaCommand(options, config, logger, print))());

program
  .command('keys')
  .description('encryption keys')
  .command('rotate')
  .description('new key version for one organisation (or, as the database owner, for all and the platform scope) and queue re-wrapping of existing data')
  .option('--org <id>', 'organisation id (default: every organisation and the platform scope)')
  .action((options: { org?: string }) => withConfig((config, logger) => keysRotateCommand(options, config, logger, print))());

program
  .command('org')
  .description('organisations')
  .command('delete')
  .description("delete an organisation for good: destroy its keys first (backups become unreadable), then its objects and rows; as the database owner")
  .requiredOption('--org <id>', 'organisation id')
  .requiredOption('--confirm <name>', "the organisation's exact name")
  .action((options: { org: string; confirm: string }) => withConfig((config, logger) => orgDeleteCommand(options, config, logger, print))());

const backup = program
  .command('backup')
  .description("per-organisation backups, encrypted under each organisation's key (run while Kindling is stopped)");
backup
  .command('create')
  .description('back up one organisation, or every organisation without --org')
  .option('--org <id>', 'organisation id')
  .action((options: { org?: string }) => withConfig((config, logger) => backupCreateCommand(options, config, logger, print))());
backup
  .command('list')
  .description('list the finished backups of one organisation, or of every organisation')
  .option('--org <id>', 'organisation id')
  .action((options: { org?: string }) => withConfig((config, logger) => backupListCommand(options, config, logger, print))());
backup
  .command('restore')
  .description("replace the organisation's rows with a backup's, in one transaction")
  .argument('<backup-id>', 'backup id, as `kindling backup list` shows it')
  .option('--org <id>', 'organisation id (found from the backup id when omitted)')
  .action((backupId: string, options: { org?: string }) => withConfig((config, logger) => backupRestoreCommand(backupId, options, config, logger, print))());

program
  .command('demo-data')
  .description('write a synthetic charity\'s CRM export (and its ground truth) into a new folder; needs no configuration or database')
  .requiredOption('--contacts <n>', 'number of contacts')
  .option('--years <n>', 'years of history', '10')
  .option('--seed <text>', 'random seed: the same seed writes the same files', 'kindling')
  .option('--format <format>', 'layout: generic, npsp, re-nxt or dynamics', 'generic')
  .requiredOption('--out <dir>', 'output folder (new or empty)')
  .option('--quirk-rate <rate>', 'share of cells with real-world quirks (0 for clean data)', '0.02')
  .option('--untagged-from <year>', 'campaigns starting in this year or later carry no category or channel, as in a CRM that stopped recording campaign types')
  .option('--with-forecast-year', 'also write what happened in the year the ground truth forecasts (for scoring models against it)')
  .action((options: DemoDataCommandOptions) => demoDataCommand(options, print));

const model = program.command('model').description("the organisation's propensity models");
model
  .command('evaluate')
  .description('train an outcome\'s model on the organisation\'s history, validated by time, and print its report and top predictors')
  .requiredOption('--org <id>', 'organisation id')
  .requiredOption('--outcome <name>', 'the behaviour to predict, e.g. responds-to-appeal, large-gift, reactivation, convert-to-monthly, rg-churn')
  .option('--window-months <n>', 'months after each cutoff in which the outcome is observed', '12')
  .option('--cutoffs <n>', 'yearly (see --step-months) cutoffs: the latest tunes and tests, the earlier ones train', '3')
  .option('--step-months <n>', 'months between cutoffs', '12')
  .action((options: ModelEvaluateOptions) => withConfig((config, logger) => modelEvaluateCommand(options, config, logger, print))());
model
  .command('features')
  .description('list the feature catalogue: every number a model may learn from, in plain words')
  .action(() => {
    modelFeaturesCommand(print);
  });

const importing = program
  .command('import')
  .enablePositionalOptions()
  .description("import CRM export files (CSV, XLSX, or zips of them) into an organisation: all or nothing; `import check` first to see what would be refused")
  .argument('[files...]', 'export files')
  .option('--org <id>', 'organisation id')
  .option('--preset <id>', 'the CRM layout: generic (the default), npsp, re-nxt, dynamics, donorfy or civicrm')
  .option('--mapping <file.json>', 'instead of --preset, for files no preset knows: a JSON list of { fileName, mapping } (see docs/importing.md)')
  .option('--currency <code>', "the organisation's currency: blank currencies and a bare $ mean this one", 'GBP')
  .option('--mode <mode>', 'complete (the files are the whole picture: what they no longer hold is removed) or delta (changes only)', 'complete')
  .option('--date-order <order>', 'dmy or mdy: how to read dates like 01/02/2024 where the files do not tell')
  .action((files: string[], options: ImportCommandOptions) =>
    withConfig(async (config, logger) => {
      if (!(await importCommand(files, options, config, logger, print))) process.exitCode = 1;
    })(),
  );
importing
  .command('check')
  .description('read CRM export files (CSV, XLSX, or zips of them) as an import would and report what would be accepted and refused; changes nothing')
  .argument('<files...>', 'export files')
  .option('--preset <id>', 'the CRM layout: generic (the default), npsp, re-nxt, dynamics, donorfy or civicrm')
  .option('--mapping <file.json>', 'instead of --preset, for files no preset knows: a JSON list of { fileName, mapping } (see docs/importing.md)')
  .option('--currency <code>', "the organisation's currency: blank currencies and a bare $ mean this one", 'GBP')
  .option('--mode <mode>', 'complete (the files are the whole picture) or delta (changes since the last import)', 'complete')
  .option('--date-order <order>', 'dmy or mdy: how to read dates like 01/02/2024 where the files do not tell')
  .option('--report <file>', 'write every refused cell (file, line, column, value, reason) to this new CSV file')
  .action((files: string[], options: ImportCheckCommandOptions) =>
    withConfig(async (config) => {
      if (!(await importCheckCommand(files, options, config, print))) process.exitCode = 1;
    })(),
  );

program
  .command('job')
  .description('batch jobs')
  .command('run')
  .description('run one claimed job in this process (started by the job dispatcher)')
  .argument('<id>', 'job id')
  .action((id: string) => withConfig((config, logger) => jobRunCommand(id, config, logger))());

try {
  await program.parseAsync(process.argv);
  // A command may have set its own exit code (e.g. `import check` when the files cannot be imported).
  process.exitCode ??= 0;
} catch (error) {
  // Our own errors carry a message written for the person at the terminal; anything else is a bug.
  if (isAppError(error)) {
    process.stderr.write(`kindling: ${error.message}\n`);
  } else {
    process.stderr.write(`kindling: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}
