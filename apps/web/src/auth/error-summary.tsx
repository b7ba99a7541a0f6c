import { Text } from '@mantine/core';
import type { MouseEvent } from 'react';
import classes from './error-summary.module.css';

export interface Problem {
  message: string;
  /** The id of the field to fix; the summary links to it. */
  fieldId?: string | undefined;
}

function focusField(event: MouseEvent<HTMLAnchorElement>, fieldId: string) {
  const field = document.getElementById(fieldId);
  if (!field) return;
  // Following "#id" would make the router treat it as a navigation (and drop an invitation token).
  event.preventDefault();
  field.focus();
}

/**
 * The form's problems in one place, at the top. The wrapper is a live region that exists before
 * any problem does, so screen readers announce problems as they appear; it can also take focus
 * when a problem has no field of its own to send focus to.
 */
export function ErrorSummary({ id, problems }: { id: string; problems: readonly Problem[] }) {
  return (
    <div role="alert" aria-atomic="true">
      {problems.length > 0 ? (
        <div id={id} tabIndex={-1} className={classes.summary}>
          <Text fw={700}>{problems.length === 1 ? 'There is a problem' : 'There are problems'}</Text>
          <ul className={classes.list}>
            {problems.map((problem) => (
              <li key={`${problem.fieldId ?? ''}:${problem.message}`}>
                {problem.fieldId ? (
                  <a
                    className={classes.link}
                    href={`#${problem.fieldId}`}
                    onClick={(event) => {
                      if (problem.fieldId) focusField(event, problem.fieldId);
                    }}
                  >
                    {problem.message}
                  </a>
                ) : (
                  <Text component="span" size="sm">
                    {problem.message}
                  </Text>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
