import { Button, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { LoadFailed, ProblemAlert, TableSkeleton } from '../settings/settings-parts';
import type { FileAnswers, FormatAnswer, ImportRun } from './imports-api';
import { RunProgress, RunResult } from './run-result';
import { isUnderway, questionsByFile, type FileQuestion } from './run-summary';
import { useImportRun } from './use-import-run';
import classes from './imports.module.css';

const CHOICES: Readonly<Record<FileQuestion['kind'], readonly { value: FormatAnswer; label: string }[]>> = {
  'date-order': [
    { value: 'dmy', label: 'Day first: 02/03/2024 is 2 March 2024' },
    { value: 'mdy', label: 'Month first: 02/03/2024 is 3 February 2024' },
  ],
  'decimal-separator': [
    { value: '.', label: 'A point: 1,234.50 is one thousand two hundred and thirty-four and a half' },
    { value: ',', label: 'A comma: 1.234,50 is one thousand two hundred and thirty-four and a half' },
  ],
};

const questionKey = (question: FileQuestion): string => `${question.file}\u0000${question.kind}`;

function questionLabel(question: FileQuestion): string {
  const what = question.kind === 'date-order' ? 'Dates' : 'Amounts';
  const examples = question.examples.length > 0 ? ` (such as ${question.examples.join(', ')})` : '';
  return `${what} in ${question.file}: ${question.columns.join(', ')}${examples}`;
}

/** A refused run whose columns read two ways: one question per file and kind, then the same import again. */
function FormatQuestions({ questions, onAnswer }: { questions: FileQuestion[]; onAnswer: (answers: FileAnswers) => Promise<void> }) {
  const headingId = useId();
  const [answers, setAnswers] = useState<Record<string, FormatAnswer>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const unanswered = questions.filter((question) => answers[questionKey(question)] === undefined);
    if (unanswered.length > 0) {
      setProblem(`Say how these are written: ${unanswered.map((question) => `${question.kind === 'date-order' ? 'dates' : 'amounts'} in ${question.file}`).join(', ')}.`);
      return;
    }
    setProblem(null);
    setPending(true);
    try {
      const byFile: FileAnswers = {};
      for (const question of questions) {
        const answer = answers[questionKey(question)];
        if (answer !== undefined) byFile[question.file] = [...(byFile[question.file] ?? []), answer];
      }
      await onAnswer(byFile);
    } finally {
      setPending(false);
    }
  }

  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="lg" className={classes.questionPanel}>
      <Title order={3} size="h4" id={headingId}>
        How are these written?
      </Title>
      <Text size="sm" mt={4} mb="md">
        Some values in these files read two ways. Kindling never guesses: say which your CRM writes, and the import runs again.
      </Text>
      <ProblemAlert problem={problem} />
      <form noValidate onSubmit={(event) => void submit(event)} aria-labelledby={headingId}>
        <Stack gap="md">
          {questions.map((question) => (
            <Radio.Group
              key={questionKey(question)}
              label={questionLabel(question)}
              value={answers[questionKey(question)] ?? null}
              onChange={(value) => {
                const choice = CHOICES[question.kind].find((option) => option.value === value);
                if (choice) setAnswers((current) => ({ ...current, [questionKey(question)]: choice.value }));
              }}
            >
              <Stack gap={6} mt={6}>
                {CHOICES[question.kind].map((option) => (
                  <Radio key={option.value} value={option.value} label={option.label} />
                ))}
              </Stack>
            </Radio.Group>
          ))}
          <Button type="submit" loading={pending} leftSection={<IconRefresh size={18} aria-hidden />} className={classes.startButton}>
            Import again with these answers
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

interface RunViewProps {
  orgId: string;
  runId: string;
  /** Whether the person may download the refused rows (values from the files: personal data). */
  canDownload: boolean;
  /** Given when the files are still at hand: a refused run can then be answered and run again. */
  onAnswer?: ((answers: FileAnswers) => Promise<void>) | undefined;
  /** Called once when the run has finished, whatever its outcome. */
  onFinished?: ((run: ImportRun) => void) | undefined;
}

/** One run: progress while it runs, then its result, and a question if dates need an answer. */
export function RunView({ orgId, runId, canDownload, onAnswer, onFinished }: RunViewProps) {
  const [round, setRound] = useState(0);
  const resource = useImportRun(orgId, runId, round);
  const finished = resource.status === 'ready' && !isUnderway(resource.run.status) ? resource.run : null;
  // Told once per run, however often the screen renders afterwards.
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (finished === null || reported.current === finished.runId) return;
    reported.current = finished.runId;
    onFinished?.(finished);
  }, [finished, onFinished]);

  if (resource.status === 'loading') return <TableSkeleton rows={2} />;
  if (resource.status === 'failed') {
    return (
      <LoadFailed
        title="The import could not be loaded"
        error={resource.error}
        onRetry={() => {
          setRound((previous) => previous + 1);
        }}
      />
    );
  }
  const { run } = resource;
  if (isUnderway(run.status)) return <RunProgress run={run} />;
  const questions = run.status === 'refused' && onAnswer ? questionsByFile(run.questions) : [];
  return (
    <>
      <RunResult orgId={orgId} run={run} canDownload={canDownload} />
      {questions.length > 0 && onAnswer ? <FormatQuestions questions={questions} onAnswer={onAnswer} /> : null}
    </>
  );
}
