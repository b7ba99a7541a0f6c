import { useCallback, useEffect, useId, useState } from 'react';
import type { Problem } from './error-summary';

export interface FormProblems {
  problems: readonly Problem[];
  /** The id to give the form's <ErrorSummary>, so focus can be sent there. */
  summaryId: string;
  /** Shows `problems` and moves focus to the first problem's field, or to the summary when it has none. */
  report: (problems: readonly Problem[]) => void;
  /** The message to show under a field, if any. */
  errorFor: (fieldId: string) => string | undefined;
  /** Drops a field's problem once the person starts fixing it. */
  clearField: (fieldId: string) => void;
  clear: () => void;
}

export function useFormProblems(): FormProblems {
  const summaryId = useId();
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  // A new object each time, so reporting the same problem twice still moves focus again.
  const [focusRequest, setFocusRequest] = useState<{ fieldId: string | undefined } | null>(null);

  useEffect(() => {
    if (!focusRequest) return;
    const field = focusRequest.fieldId ? document.getElementById(focusRequest.fieldId) : null;
    (field ?? document.getElementById(summaryId))?.focus();
  }, [focusRequest, summaryId]);

  const report = useCallback((next: readonly Problem[]) => {
    setProblems(next);
    setFocusRequest({ fieldId: next[0]?.fieldId });
  }, []);

  const errorFor = useCallback(
    (fieldId: string) => problems.find((problem) => problem.fieldId === fieldId)?.message,
    [problems],
  );

  const clearField = useCallback((fieldId: string) => {
    setProblems((previous) =>
      previous.some((problem) => problem.fieldId === fieldId)
        ? previous.filter((problem) => problem.fieldId !== fieldId)
        : previous,
    );
  }, []);

  const clear = useCallback(() => {
    setProblems([]);
  }, []);

  return { problems, summaryId, report, errorFor, clearField, clear };
}
