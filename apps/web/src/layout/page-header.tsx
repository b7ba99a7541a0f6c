import { Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './page-header.module.css';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
}

export function PageHeader({ title, description }: PageHeaderProps) {
  return (
    <div className={classes.pageHeader}>
      <title>{`${title} · Kindling`}</title>
      {/* tabIndex -1: focus target after navigation (see root-layout.tsx). */}
      <Title order={1} tabIndex={-1}>
        {title}
      </Title>
      {description ? (
        <Text size="lg" c="dimmed" className={classes.description}>
          {description}
        </Text>
      ) : null}
    </div>
  );
}
