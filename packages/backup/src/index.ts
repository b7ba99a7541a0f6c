export { createBackupService, type BackupService, type BackupServiceDependencies, type BackupSummary } from './backup-service.js';
export { backupIdPattern, type BackupManifest } from './backup-manifest.js';
export { backupTables, tablesNotBackedUp, type BackupTable } from './backup-tables.js';
