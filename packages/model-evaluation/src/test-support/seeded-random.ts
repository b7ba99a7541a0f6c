/** Deterministic random numbers for tests (mulberry32), so simulated data sets are the same on every run. */
export function seededRandom(seed: number): { uniform: () => number; normal: () => number; integer: (below: number) => number } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal, integer: (below) => Math.floor(uniform() * below) };
}

/** Scores with many ties (rounded to `levels` values) and labels that depend on them. */
export function tiedScores(seed: number, n: number, levels: number): { scores: Float64Array; labels: Float64Array; weights: Float64Array } {
  const random = seededRandom(seed);
  const scores = new Float64Array(n);
  const labels = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let row = 0; row < n; row += 1) {
    const score = Math.floor(random.uniform() * levels) / levels;
    scores[row] = score;
    labels[row] = random.uniform() < 0.2 + 0.6 * score ? 1 : 0;
    weights[row] = 0.5 + random.uniform() * 2;
  }
  return { scores, labels, weights };
}
