export type { CampaignDescription, GiftPattern, LabelledCampaign } from './campaign-input.js';
export { categoryRules, channelRules, type TagRule } from './tag-rules.js';
export {
  trainTagSuggester,
  suggestTags,
  ruleOnlySuggester,
  confidentProbability,
  minimumConfirmedCampaigns,
  priorStrength,
  type TagSuggester,
  type TagSuggestion,
  type CampaignTagSuggestion,
} from './tag-suggester.js';
export { serialiseTagSuggester, parseTagSuggester, tagModelVersion } from './tag-model-format.js';
export { tagCoverage, coverageTarget, type TaggedCampaign, type CampaignGifts, type CoverageShare, type TagCoverage } from './tag-coverage.js';
