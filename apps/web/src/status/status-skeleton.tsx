import { Paper, Skeleton, VisuallyHidden } from '@mantine/core';
import classes from './status-page.module.css';

const CARDS = ['server', 'database', 'jobs', 'checks'];

export function StatusSkeleton() {
  return (
    <>
      <VisuallyHidden role="status">Checking the server…</VisuallyHidden>
      <div className={classes.grid} aria-hidden>
        {CARDS.map((card) => (
          <Paper key={card} withBorder radius="lg" className={classes.card}>
            <Skeleton height={28} width="45%" radius="md" mb="lg" />
            <Skeleton height={14} mb="md" />
            <Skeleton height={14} mb="md" width="85%" />
            <Skeleton height={14} width="70%" />
          </Paper>
        ))}
      </div>
    </>
  );
}
