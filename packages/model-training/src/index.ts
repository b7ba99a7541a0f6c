export {
  championRawScores,
  defaultCandidates,
  fitBinaryModel,
  fitCalibrator,
  predictProbabilities,
  type BinaryModelOptions,
  type CandidateResult,
  type CandidateSpec,
  type Champion,
  type FittedBinaryModel,
  type LabelledRows,
} from './binary-model-selection.js';
export { trainPropensityModel, type TrainPropensityOptions } from './train-propensity-model.js';
export { parsePropensityModel, propensityModelFormat, serialisePropensityModel, type PropensityModel } from './propensity-model.js';
export { scoreContacts, type ContactScores } from './score-contacts.js';
export { explainContacts, modelImportance, scoreContributions, type ExplainOptions, type ModelImportance } from './explain-contacts.js';
export { predictAmounts, trainAmountModel, type AmountModel, type AmountModelOptions } from './train-amount-model.js';
