export { defineJob, type JobDefinition, type JobContext } from './jobs/job-definition.js';
export { builtInJobs, createJobRegistry, type JobRegistry } from './jobs/job-registry.js';
export { submitJob, type SubmitOptions } from './jobs/submit-job.js';
export { pruneJobHistory } from './jobs/prune-job-history.js';
export { enqueueJob, readQueueStatus, type EnqueueRequest, type QueueStatus } from './queue/queue-sql.js';
export { createDispatcher, dispatcherStaleAfterSeconds, type Dispatcher, type DispatcherOptions, type PeriodicJob } from './dispatch/dispatcher.js';
export { createLocalProcessRunner, type LocalProcessRunnerOptions } from './dispatch/local-process-runner.js';
export type { JobRunner, JobExit } from './dispatch/job-runner.js';
export { runClaimedJob, type RunJobOutcome, type RunJobDependencies } from './run/run-job.js';
