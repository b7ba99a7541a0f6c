export { runImport, type EntityCounts, type ImportDependencies, type ImportOutcome, type ImportRequest } from './import-runner.js';
export { postcodeDistrict } from './contact-columns.js';
