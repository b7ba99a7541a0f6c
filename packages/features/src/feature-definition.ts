/**
 * A feature as data: what the app shows about it and how a model's reason reads in plain words.
 * Features are built from dated facts only (gifts, plans, payment failures, communications) and
 * from contact attributes that do not change over time, never from personal fields.
 */
export type FeatureFamily =
  | 'recency'
  | 'frequency'
  | 'value'
  | 'trend'
  | 'seasonality'
  | 'tenure'
  | 'recurring'
  | 'communications'
  | 'contact'
  | 'custom-attribute';

/** Months back from the cutoff; 'all-time' for the whole history; null when no window applies. */
export type FeatureWindow = 3 | 6 | 12 | 24 | 36 | 60 | 'all-time' | null;

export type FeatureUnit = 'count' | 'money' | 'months' | 'days' | 'ratio' | 'share' | 'year' | 'flag' | 'category';

export interface FeatureDefinition {
  /** Stable snake_case identifier, e.g. `gift_count_12m`; model files refer to features by it. */
  readonly name: string;
  readonly family: FeatureFamily;
  readonly window: FeatureWindow;
  readonly unit: FeatureUnit;
  readonly kind: 'numeric' | 'categorical';
  /** One sentence for the app: "Number of gifts in the 12 months before the cutoff." */
  readonly description: string;
  /**
   * How the feature reads as a reason for a score, `{value}` replaced by the formatted value:
   * "gave {value} times in the last 12 months", "no gift for {value} months".
   */
  readonly phrase: string;
  /** The reason when the value is missing ("has never given"); without one a missing value gives no reason. */
  readonly phraseWhenMissing?: string;
}
