import { describe, expect, it } from 'vitest';
import { createObjective, type ObjectiveFunction } from './objectives.js';
import { createSeededRandom } from './seeded-random.js';
import type { Objective } from './tree-model.js';

const cases: { objective: Objective; power: number; label: () => number }[] = [];
const random = createSeededRandom(3);
cases.push({ objective: 'logistic', power: 1.5, label: () => (random.next() < 0.3 ? 1 : 0) });
cases.push({ objective: 'squared-error', power: 1.5, label: () => random.next() * 10 - 5 });
for (const power of [1, 1.2, 1.5, 1.9]) cases.push({ objective: 'tweedie', power, label: () => (random.next() < 0.6 ? 0 : Math.exp(2 * random.next())) });

/** Loss of one row, as the objective reports it (a mean over one row). */
function rowLoss(objective: ObjectiveFunction, score: number, label: number, weight: number): number {
  return objective.loss(Float64Array.of(score), Float64Array.of(label), Float64Array.of(weight)) * weight;
}

describe('objectives', () => {
  for (const { objective: name, power, label } of cases) {
    const objective = createObjective(name, { tweedieVariancePower: power });
    it(`${name} (p=${String(power)}): gradient and hessian are the derivatives of its weighted loss`, () => {
      for (let trial = 0; trial < 50; trial++) {
        const score = random.next() * 6 - 3;
        const y = label();
        const weight = 0.2 + random.next() * 3;
        const gradient = new Float64Array(1);
        const hessian = new Float64Array(1);
        const lossOnTheWay = objective.gradients(Float64Array.of(score), Float64Array.of(y), Float64Array.of(weight), gradient, hessian);
        expect(lossOnTheWay).toBeCloseTo(objective.loss(Float64Array.of(score), Float64Array.of(y), Float64Array.of(weight)), 12);
        const h = 1e-4;
        const loss = (s: number): number => rowLoss(objective, s, y, weight);
        // Squared error's gradient is that of half the reported (mean squared) loss.
        const scale = name === 'squared-error' ? 0.5 : 1;
        const numericGradient = (scale * (loss(score + h) - loss(score - h))) / (2 * h);
        const numericHessian = (scale * (loss(score + h) - 2 * loss(score) + loss(score - h))) / (h * h);
        expect(gradient[0]).toBeCloseTo(numericGradient, 5);
        expect(Math.abs((hessian[0] ?? 0) - numericHessian)).toBeLessThan(1e-3 * Math.max(1, Math.abs(numericHessian)));
        expect(hessian[0]).toBeGreaterThan(0);
      }
    });

    it(`${name} (p=${String(power)}): the base score is the best constant`, () => {
      const labels = Float64Array.from({ length: 200 }, label);
      const weights = Float64Array.from({ length: 200 }, () => 0.5 + random.next());
      const base = objective.baseScore(labels, weights);
      const at = (s: number): number => objective.loss(new Float64Array(200).fill(s), labels, weights);
      expect(at(base)).toBeLessThan(at(base + 1e-3));
      expect(at(base)).toBeLessThan(at(base - 1e-3));
    });
  }
});
