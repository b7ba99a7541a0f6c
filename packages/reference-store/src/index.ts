export { runImport, type EntityCounts, type ImportDependencies, type ImportOutcome, type ImportQuestion, type ImportRequest } from './import-runner.js';
export { postcodeDistrict } from './contact-columns.js';
export {
  createCampaignTagService,
  type CampaignTagService,
  type CampaignTagList,
  type CampaignTagGroup,
  type CampaignTagRow,
  type CampaignTagQuery,
  type CampaignTagFilter,
  type CampaignTagCoverage,
  type CampaignTagDecision,
  type CampaignTagDecisionCounts,
  type EffectiveTag,
  type SuggestedTag,
  type TagSource,
} from './campaign-tag-service.js';
export { createImportService, type FileAnswers, type FormatAnswer, type ImportQueue, type ImportService, type ImportServiceDependencies, type MappingSummary, type QueuedImport, type StartImportRequest } from './import-service.js';
export { defaultImportPageSize, maxImportPageSize, type ImportRunDetail, type ImportRunFile, type ImportRunPage, type ImportRunStatus, type ImportRunSummary, type StarterNames } from './import-history.js';
export type { InspectedFile, SavedMappingFinder } from './import-inspection.js';
export { runQueuedImport, type QueuedImportDependencies } from './queued-import.js';
export { pruneUpload, uploadChunkBytes, uploadLifetimeMs, type UploadStatus } from './upload-store.js';
export { createImportMappingStore, type ImportMappingStore, type MappingActor, type MappingToSave, type StoredImportMapping } from './import-mapping-store.js';
