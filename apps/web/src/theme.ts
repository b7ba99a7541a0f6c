import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Warm "ember" palette. The light-scheme primary shade is 7 so that white text
// on filled buttons and ember links on white both pass WCAG AA contrast.
const ember = [
  '#fff7ed',
  '#ffedd5',
  '#fed7aa',
  '#fdba74',
  '#fb923c',
  '#f97316',
  '#ea580c',
  '#c2410c',
  '#9a3412',
  '#7c2d12',
] as const;

export const theme = createTheme({
  primaryColor: 'ember',
  primaryShade: { light: 7, dark: 5 },
  colors: { ember: [...ember] },
  defaultRadius: 'md',
  cursorType: 'pointer',
  headings: { fontWeight: '650' },
});

/*
 * Contrast fixes for the light scheme, checked by the axe scans in e2e/:
 * Mantine's dimmed grey (gray.6) is 3.3:1 on white, its error red (red.6) is
 * 3.5:1, and the "light" badge and alert backgrounds (shade 1) leave teal.9
 * text at 4.3:1. Shade 0 backgrounds pass AA and look calmer too.
 */
const LIGHT_TINTED = ['teal', 'red', 'blue'] as const;

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(
      LIGHT_TINTED.flatMap((color) => [
        [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
        [`--mantine-color-${color}-light-hover`, `var(--mantine-color-${color}-1)`],
      ]),
    ),
  },
  dark: {},
});
