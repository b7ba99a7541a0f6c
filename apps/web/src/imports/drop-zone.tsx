import { Button, Text } from '@mantine/core';
import { IconCloudUpload, IconFolderOpen } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { ACCEPT_ATTRIBUTE } from './accepted-files';
import classes from './imports.module.css';

/**
 * Where files come in: dropped anywhere on the zone, or chosen with the button (the keyboard and
 * screen-reader way). Every file goes to `onFiles`; the caller decides which it can take.
 */
export function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [dragging, setDragging] = useState(false);

  const over = (event: DragEvent<HTMLDivElement>) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  return (
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions -- dropping is a pointer shortcut; the "Choose files" button inside is the keyboard and screen-reader way.
    <div
      className={classes.dropZone}
      data-dragging={dragging || undefined}
      onDragEnter={over}
      onDragOver={over}
      onDragLeave={(event) => {
        // Moving over a child fires dragleave on the zone: only leaving the zone itself counts.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        onFiles([...event.dataTransfer.files]);
      }}
    >
      <IconCloudUpload size={44} stroke={1.4} aria-hidden className={classes.dropIcon} />
      <Text fw={600} size="lg">
        {dragging ? 'Drop the files to upload them' : 'Drag your CRM export files here'}
      </Text>
      <Text c="dimmed" size="sm" id={hintId}>
        CSV, Excel (.xlsx) or ZIP files. Several at once is fine: contacts, gifts, campaigns and more.
      </Text>
      <Button
        mt="md"
        leftSection={<IconFolderOpen size={18} aria-hidden />}
        aria-describedby={hintId}
        onClick={() => input.current?.click()}
      >
        Choose files
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        className={classes.fileInput}
        aria-label="Files to import"
        tabIndex={-1}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // Cleared, so choosing the same file again (after a reload, to resume) fires again.
          event.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </div>
  );
}
