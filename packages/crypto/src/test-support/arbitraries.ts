import fc from 'fast-check';
import type { FieldContext, ObjectContext } from '../index.js';

const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/);
// 'binary' yields any Unicode scalar value (never a lone surrogate), so contexts stay encodable.
const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', minLength: 1, maxLength });

export const objectContext: fc.Arbitrary<ObjectContext> = fc.record({
  orgId: fc.uuid(),
  purpose: fc.constant('object' as const),
  objectKey: text(40),
});

export const fieldContext: fc.Arbitrary<FieldContext> = fc.record({
  orgId: fc.uuid(),
  purpose: fc.constant('field' as const),
  table: identifier,
  column: identifier,
  rowId: text(20),
});

export const anyContext = fc.oneof(objectContext, fieldContext);
