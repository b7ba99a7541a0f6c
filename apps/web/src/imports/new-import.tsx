import { Alert, Button, Group, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight, IconPlus } from '@tabler/icons-react';
import { useId, useRef, useState } from 'react';
import { describeApiError } from '../api/api-error-details';
import { ProblemAlert } from '../settings/settings-parts';
import { sortChosenFiles } from './accepted-files';
import { DropZone } from './drop-zone';
import { inspectUploads, startImport, type FileAnswers, type ImportRun } from './imports-api';
import { initialReview, startRequest, type ReviewState } from './mapping-state';
import { ReviewStep } from './review-step';
import { RunView } from './run-view';
import { mergeAnswers } from './run-summary';
import { InterruptedUploads, UploadList } from './upload-list';
import { useUploads } from './use-uploads';
import classes from './imports.module.css';

type Step = { name: 'files' } | { name: 'review'; review: ReviewState } | { name: 'run'; review: ReviewState; runId: string; answers: FileAnswers };

const STEPS = ['Upload files', 'Check the columns', 'Import'] as const;

function StepHeading({ step, focusRef }: { step: number; focusRef: React.RefObject<HTMLHeadingElement | null> }) {
  return (
    <div className={classes.stepHeading}>
      <ol className={classes.steps} aria-label="Steps">
        {STEPS.map((label, index) => (
          <li key={label} data-state={index < step ? 'done' : index === step ? 'current' : 'next'} aria-current={index === step ? 'step' : undefined}>
            <span className={classes.stepNumber} aria-hidden>
              {index + 1}
            </span>
            {label}
          </li>
        ))}
      </ol>
      <Title order={2} size="h3" ref={focusRef} tabIndex={-1} className={classes.focusTarget}>
        {step === 0 ? 'Upload your files' : step === 1 ? 'Check what each file holds' : 'Import'}
      </Title>
    </div>
  );
}

/** Upload → review and mapping → the run and its result, for people who may import. */
export function NewImport({ orgId, onRunFinished }: { orgId: string; onRunFinished: (run: ImportRun) => void }) {
  const uploads = useUploads(orgId);
  const [step, setStep] = useState<Step>({ name: 'files' });
  const [refused, setRefused] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const sectionId = useId();

  const moveTo = (next: Step) => {
    setStep(next);
    setProblem(null);
    requestAnimationFrame(() => heading.current?.focus());
  };

  const ready = uploads.items.filter((item) => item.status === 'done' && item.uploadId !== null);
  const busy = uploads.items.some((item) => item.status === 'uploading' || item.status === 'waiting');

  async function review() {
    setProblem(null);
    setInspecting(true);
    try {
      const files = await inspectUploads(orgId, ready.flatMap((item) => (item.uploadId === null ? [] : [item.uploadId])));
      moveTo({ name: 'review', review: initialReview(files) });
    } catch (error) {
      setProblem(describeApiError(error));
    } finally {
      setInspecting(false);
    }
  }

  /** Starts the run; a refusal to start (not a refused run) shows above the step and leaves it as it is. */
  async function start(review: ReviewState, answers: FileAnswers = {}) {
    setProblem(null);
    try {
      const runId = await startImport(orgId, startRequest(review, answers));
      moveTo({ name: 'run', review, runId, answers });
    } catch (error) {
      setProblem(describeApiError(error));
      heading.current?.scrollIntoView({ block: 'start' });
    }
  }

  return (
    <section aria-labelledby={sectionId} className={classes.newImport}>
      <Title order={2} size="h3" id={sectionId} className={classes.visuallyHidden}>
        New import
      </Title>
      <StepHeading step={step.name === 'files' ? 0 : step.name === 'review' ? 1 : 2} focusRef={heading} />
      <ProblemAlert problem={problem} />

      {step.name === 'files' ? (
        <>
          <InterruptedUploads entries={uploads.interrupted} onDismiss={uploads.dismissInterrupted} />
          <DropZone
            onFiles={(files) => {
              const { accepted, refused: notAccepted } = sortChosenFiles(files);
              setRefused(notAccepted);
              for (const file of accepted) uploads.start(file);
            }}
          />
          {refused.length > 0 ? (
            <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="Some files were not added" mt="md" role="alert">
              <ul className={classes.plainList}>
                {refused.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          <UploadList items={uploads.items} onRemove={uploads.remove} />
          {uploads.items.length > 0 ? (
            <Group mt="lg" gap="sm" align="center">
              <Button
                size="md"
                rightSection={<IconArrowRight size={18} aria-hidden />}
                disabled={busy || ready.length === 0}
                loading={inspecting}
                onClick={() => void review()}
              >
                Continue
              </Button>
              <Text size="sm" c="dimmed">
                {busy ? 'Continue when every upload has finished.' : `${String(ready.length)} ${ready.length === 1 ? 'file' : 'files'} ready. Nothing is imported until you have checked them.`}
              </Text>
            </Group>
          ) : null}
        </>
      ) : null}

      {step.name === 'review' ? (
        <ReviewStep
          review={step.review}
          onChange={(review) => {
            setStep({ name: 'review', review });
          }}
          onBack={() => {
            moveTo({ name: 'files' });
          }}
          onStart={() => start(step.review)}
        />
      ) : null}

      {step.name === 'run' ? (
        <>
          <RunView
            key={step.runId}
            orgId={orgId}
            runId={step.runId}
            canDownload
            onAnswer={(answers) => start(step.review, mergeAnswers(step.answers, answers))}
            onFinished={(run) => {
              if (run.status === 'applied') uploads.release();
              onRunFinished(run);
            }}
          />
          <Button
            mt="xl"
            variant="default"
            leftSection={<IconPlus size={18} aria-hidden />}
            onClick={() => {
              uploads.release();
              setRefused([]);
              moveTo({ name: 'files' });
            }}
          >
            Start another import
          </Button>
        </>
      ) : null}
    </section>
  );
}
