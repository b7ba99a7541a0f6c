import { Button, TextInput, Title } from '@mantine/core';
import { IconFingerprint } from '@tabler/icons-react';
import { useId, useState, type SubmitEvent } from 'react';
import { describeApiError, validationIssues } from '../api/api-error-details';
import { formatDateTime } from '../status/format';
import classes from './account-security.module.css';
import { InlineConfirm } from './inline-confirm';
import type { Passkey } from './passkeys-api';
import passkeyClasses from './passkeys.module.css';

interface PasskeyItemProps {
  passkey: Passkey;
  onRename: (passkey: Passkey, name: string) => Promise<void>;
  onRemove: (passkey: Passkey) => Promise<void>;
}

type Mode = 'idle' | 'renaming' | 'removing';

/** One passkey: when it was added and last used, with rename and remove in place. */
export function PasskeyItem({ passkey, onRename, onRemove }: PasskeyItemProps) {
  const [mode, setMode] = useState<Mode>('idle');
  const [name, setName] = useState(passkey.name);
  const [nameError, setNameError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const renameButtonId = `${headingId}-rename`;
  const removeButtonId = `${headingId}-remove`;
  const nameId = `${headingId}-name`;

  function backTo(buttonId: string) {
    setMode('idle');
    requestAnimationFrame(() => document.getElementById(buttonId)?.focus());
  }

  async function saveName(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setNameError('Enter a name, such as “Work laptop”.');
      document.getElementById(nameId)?.focus();
      return;
    }
    setSaving(true);
    try {
      await onRename(passkey, trimmed);
      setNameError(undefined);
      backTo(renameButtonId);
    } catch (error) {
      setNameError(validationIssues(error)[0]?.message ?? describeApiError(error));
      document.getElementById(nameId)?.focus();
    } finally {
      setSaving(false);
    }
  }

  return (
    <li className={classes.session}>
      <IconFingerprint size={28} stroke={1.5} aria-hidden className={classes.sessionIcon} />
      <div className={classes.sessionBody}>
        <Title order={3} size="h5" id={headingId}>
          {passkey.name}
        </Title>
        <dl className={classes.sessionFacts}>
          <dt>Added</dt>
          <dd>{formatDateTime(passkey.createdAt)}</dd>
          <dt>Last used</dt>
          <dd>{passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : 'Not used yet'}</dd>
        </dl>
        {mode === 'renaming' ? (
          <form noValidate className={passkeyClasses.renameForm} aria-labelledby={headingId} onSubmit={(event) => void saveName(event)}>
            <TextInput
              id={nameId}
              label="New name"
              maxLength={100}
              autoComplete="off"
              value={name}
              error={nameError}
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape') backTo(renameButtonId);
              }}
            />
            <Button type="submit" size="sm" loading={saving}>
              Save name
            </Button>
            <Button
              variant="default"
              size="sm"
              disabled={saving}
              onClick={() => {
                setName(passkey.name);
                setNameError(undefined);
                backTo(renameButtonId);
              }}
            >
              Cancel
            </Button>
          </form>
        ) : null}
        {mode === 'removing' ? (
          <InlineConfirm
            message={`Remove the passkey “${passkey.name}”? You will not be able to sign in with it any more, and for your security you will be signed out everywhere else.`}
            confirmLabel="Yes, remove"
            onConfirm={() => onRemove(passkey)}
            onCancel={() => {
              backTo(removeButtonId);
            }}
          />
        ) : null}
      </div>
      {mode === 'idle' ? (
        <div className={passkeyClasses.actions}>
          <Button
            id={renameButtonId}
            variant="default"
            size="sm"
            aria-describedby={headingId}
            onClick={() => {
              setMode('renaming');
              requestAnimationFrame(() => document.getElementById(nameId)?.focus());
            }}
          >
            Rename
          </Button>
          <Button
            id={removeButtonId}
            variant="default"
            size="sm"
            aria-describedby={headingId}
            onClick={() => {
              setMode('removing');
            }}
          >
            Remove
          </Button>
        </div>
      ) : null}
    </li>
  );
}
