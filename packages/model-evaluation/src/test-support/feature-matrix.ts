import type { FeatureMatrix } from '@kindling/gbdt';

/** A matrix from named columns; a name ending in ':cat' makes a categorical feature. */
export function matrixOf(columns: Record<string, ArrayLike<number>>): FeatureMatrix {
  const entries = Object.entries(columns);
  return {
    rowCount: entries[0]?.[1].length ?? 0,
    features: entries.map(([name]) => ({ name, kind: name.endsWith(':cat') ? ('categorical' as const) : ('numeric' as const) })),
    columns: entries.map(([, values]) => Float64Array.from(values)),
  };
}
