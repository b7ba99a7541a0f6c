export type * from './tree-model.js';
export { trainGbdt, type TrainGbdtOptions, type TrainGbdtResult, type IterationRecord, type ValidationSet } from './train-gbdt.js';
export { gbdtParamsSchema, parseGbdtParams, type GbdtParams, type GbdtParamsInput } from './training-params.js';
export { predict, predictRaw, predictLeafIndices, transformRawScores, assertMatrixMatchesModel, minimumParallelRows, type ScoringOptions } from './predictor.js';
export { serialiseModel, parseModelFile, modelFileVersion, type ModelMetadata, type ModelFile } from './model-file.js';
export { shapValues, expectedRawScore } from './tree-shap.js';
export { featureImportance, splitImportance, type FeatureImportance, type FeatureImportanceOptions } from './feature-importance.js';
