import { Paper, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import classes from './auth-card.module.css';

interface AuthCardProps {
  title: string;
  description?: ReactNode;
  /** For steps with more to show (QR code, recovery codes). */
  wide?: boolean;
  footer?: ReactNode;
  children: ReactNode;
}

/** The card every screen of the sign-in journey sits in: one h1, a short explanation, the step. */
export function AuthCard({ title, description, wide = false, footer, children }: AuthCardProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const shownTitle = useRef(title);
  // A step that changes within one screen (code entry → recovery codes) moves focus like a new screen would.
  useEffect(() => {
    if (shownTitle.current === title) return;
    shownTitle.current = title;
    heading.current?.focus();
  }, [title]);

  return (
    <div className={classes.wrapper} data-wide={wide || undefined}>
      <title>{`${title} · Kindling`}</title>
      <Paper withBorder radius="lg" shadow="sm" className={classes.card}>
        {/* tabIndex -1: focus target after navigation (see root-layout.tsx). */}
        <Title ref={heading} order={1} tabIndex={-1} size="h2">
          {title}
        </Title>
        {description ? (
          <Text c="dimmed" className={classes.description}>
            {description}
          </Text>
        ) : null}
        {children}
        {footer ? <div className={classes.footer}>{footer}</div> : null}
      </Paper>
    </div>
  );
}
