/**
 * Deterministic randomness. Every stream is keyed by the seed and a label path (e.g. contact 42's
 * giving), so a contact's history does not depend on how many draws other contacts used: the
 * generator can be reordered or parallelised later without changing a byte of output.
 */
export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  chance(probability: number): boolean;
  /** Uniform integer on [0, n). */
  int(n: number): number;
  normal(): number;
  exponential(mean: number): number;
  pick<T>(items: readonly T[]): T;
  /** One of `items`, chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
}

/** 32-bit FNV-1a, then murmur3's finaliser: a well-mixed state word from any text. */
function hashText(text: string, salt: number): number {
  let hash = (2_166_136_261 ^ salt) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16_777_619);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85eb_ca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2_ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** sfc32: small, fast, passes PractRand to 2^40 bytes — plenty for synthetic data. */
export function createRandom(seed: string | number, ...labels: readonly (string | number)[]): Random {
  const key = [String(seed), ...labels.map(String)].join('\u0000');
  let a = hashText(key, 1);
  let b = hashText(key, 2);
  let c = hashText(key, 3);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let warmUp = 0; warmUp < 12; warmUp += 1) next();
  return {
    next,
    chance: (probability) => next() < probability,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      // Box–Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    weighted: (items) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let point = next() * total;
      for (const [item, weight] of items) {
        point -= weight;
        if (point < 0) return item;
      }
      const last = items.at(-1);
      if (last === undefined) throw new Error('weighted pick from an empty list');
      return last[0];
    },
  };
}
