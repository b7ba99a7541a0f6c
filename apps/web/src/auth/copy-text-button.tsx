import { Button, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies `text`; the outcome is shown and announced, and a failure says what to do instead. */
export function CopyTextButton({ text, label, copiedLabel }: { text: string; label: string; copiedLabel: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => {
      setState('idle');
    }, 4000);
    return () => {
      clearTimeout(timer);
    };
  }, [state]);

  return (
    <div>
      <Button
        variant="default"
        leftSection={state === 'copied' ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => {
              setState('copied');
            },
            () => {
              setState('failed');
            },
          );
        }}
      >
        {label}
      </Button>
      <Text role="status" size="sm" mt={4} c={state === 'failed' ? 'red.9' : 'inherit'}>
        {state === 'copied' ? copiedLabel : null}
        {state === 'failed' ? 'Copying did not work in this browser. Select the text and copy it by hand.' : null}
      </Text>
    </div>
  );
}
