import { describe, expect, it } from 'vitest';
import { buildThemeCss } from '../vite-plugins/static-theme-css';
import { cssVariablesResolver, theme } from './theme';

describe('build-time theme CSS', () => {
  const css = buildThemeCss(theme, cssVariablesResolver);

  it('points the primary colour at the ember palette', () => {
    expect(css).toContain('--mantine-primary-color-filled: var(--mantine-color-ember-filled)');
    expect(css).toContain('--mantine-color-ember-7: #c2410c');
  });

  it('carries the contrast fixes for the light scheme', () => {
    expect(css).toContain('--mantine-color-dimmed: var(--mantine-color-gray-7)');
    expect(css).toContain('--mantine-color-error: var(--mantine-color-red-9)');
    expect(css).toContain('--mantine-color-teal-light: var(--mantine-color-teal-0)');
  });

  it('leaves out variables that @mantine/core/styles.css already declares', () => {
    expect(css).not.toContain('--mantine-z-index-app');
  });

  it('includes the hidden-from/visible-from classes MantineProvider would inject at runtime', () => {
    expect(css).toContain('.mantine-hidden-from-sm');
    expect(css).toContain('.mantine-visible-from-sm');
  });
});
