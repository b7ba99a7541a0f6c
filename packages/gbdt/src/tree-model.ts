/**
 * The trained model as data: the contract between the grower (which writes it), the predictor,
 * TreeSHAP and the model file. Trees are flat arrays so that scoring walks typed arrays with no
 * object per node; node 0 is the root of each tree.
 *
 * Splits are kept in raw feature units (not bin indices) so that a saved model scores new data
 * without the training set's bin edges.
 */
export type FeatureKind = 'numeric' | 'categorical';

export interface ModelFeature {
  /** Stable name from the feature catalogue; never personal data. */
  readonly name: string;
  readonly kind: FeatureKind;
  /** Categorical features only: the number of category codes seen in training (codes 0..count-1). */
  readonly categoryCount?: number;
}

export interface FlatTree {
  /** Feature index tested at each node; -1 marks a leaf. */
  readonly splitFeature: Int32Array;
  /** Numeric split: a value <= threshold goes left. Unused (0) at leaves and categorical splits. */
  readonly threshold: Float64Array;
  /** 1 when a missing value (NaN) goes left at this node. */
  readonly missingGoesLeft: Uint8Array;
  /**
   * Categorical split: the categories going left, as a bitset slice of `categoryBits` starting at
   * `categoryOffset[node]` with `categoryWords[node]` 32-bit words; a code outside the slice (or a
   * category unseen in training) goes right. -1 offset for numeric splits and leaves.
   */
  readonly categoryOffset: Int32Array;
  readonly categoryWords: Int32Array;
  readonly categoryBits: Uint32Array;
  /** Children by node index; -1 at leaves. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf output in raw-score units, learning rate already applied; internal nodes hold their would-be leaf value. */
  readonly value: Float64Array;
  /**
   * Training weight that reached the node (sum of sample weights, i.e. row count when unweighted).
   * TreeSHAP uses it as the conditional distribution of a path not taken, so it must satisfy
   * cover[node] = cover[left] + cover[right].
   */
  readonly cover: Float64Array;
}

export type Objective = 'logistic' | 'squared-error' | 'tweedie';

export interface TreeEnsemble {
  readonly objective: Objective;
  /** Raw score before any tree (log-odds for logistic, log-mean for tweedie, mean for squared error). */
  readonly baseScore: number;
  readonly features: readonly ModelFeature[];
  readonly trees: readonly FlatTree[];
}

/**
 * Training and scoring input, column-major: one Float64Array of `rowCount` values per feature, in
 * the order of `features`. NaN means missing. Categorical columns hold integer codes 0..k-1.
 * Column-major because binning, histograms and featurisation all walk one feature at a time.
 */
export interface FeatureMatrix {
  readonly rowCount: number;
  readonly features: readonly ModelFeature[];
  readonly columns: readonly Float64Array[];
}
