import {
  DEFAULT_THEME,
  convertCssVariables,
  defaultCssVariablesResolver,
  em,
  keys,
  mergeMantineTheme,
  px,
  type CSSVariablesResolver,
  type ConvertCSSVariablesInput,
  type MantineThemeOverride,
} from '@mantine/core';
import type { Plugin } from 'vite';

/*
 * MantineProvider normally writes the theme's CSS variables and its
 * hidden-from/visible-from classes into <style> elements at runtime, which a
 * strict `style-src 'self'` CSP blocks. The provider runs with
 * `withCssVariables={false}` and `withGlobalClasses={false}`, and this plugin
 * emits the same CSS at build time as a virtual stylesheet instead, so the
 * theme object stays the single source of truth.
 */

export const THEME_CSS_MODULE_ID = 'virtual:kindling-theme.css';
const RESOLVED_ID = `\0${THEME_CSS_MODULE_ID}`;

type CssVariables = ConvertCSSVariablesInput['variables'];

function changedOnly(values: CssVariables, defaults: CssVariables): CssVariables {
  const changed: CssVariables = {};
  for (const [name, value] of Object.entries(values) as [keyof CssVariables, string][]) {
    if (defaults[name] !== value) changed[name] = value;
  }
  return changed;
}

export function buildThemeCss(override: MantineThemeOverride, resolver?: CSSVariablesResolver): string {
  const theme = mergeMantineTheme(DEFAULT_THEME, override);
  const computed = defaultCssVariablesResolver(theme);
  const extra = resolver?.(theme);
  // @mantine/core/styles.css already declares every default variable; only ship the differences.
  const defaults = defaultCssVariablesResolver(DEFAULT_THEME);
  const input: ConvertCSSVariablesInput = {
    variables: changedOnly({ ...computed.variables, ...extra?.variables }, defaults.variables),
    light: changedOnly({ ...computed.light, ...extra?.light }, defaults.light),
    dark: changedOnly({ ...computed.dark, ...extra?.dark }, defaults.dark),
  };
  const variables = convertCssVariables(input, ':root');

  // Same rules as Mantine's runtime MantineClasses component.
  const breakpointClasses = keys(theme.breakpoints)
    .map((breakpoint) => {
      const width = Number(px(theme.breakpoints[breakpoint]));
      return (
        `@media (max-width: ${em(width - 0.1)}) { .mantine-visible-from-${breakpoint} { display: none !important; } }\n` +
        `@media (min-width: ${em(width)}) { .mantine-hidden-from-${breakpoint} { display: none !important; } }`
      );
    })
    .join('\n');

  return `/* Generated from apps/web/src/theme.ts at build time. */\n${variables.trim()}\n\n${breakpointClasses}\n`;
}

export function staticThemeCss(override: MantineThemeOverride, resolver?: CSSVariablesResolver): Plugin {
  return {
    name: 'kindling:static-theme-css',
    resolveId(id) {
      return id === THEME_CSS_MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      return id === RESOLVED_ID ? buildThemeCss(override, resolver) : undefined;
    },
  };
}
