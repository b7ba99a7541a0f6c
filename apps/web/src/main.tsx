import '@mantine/core/styles.css';
import 'virtual:kindling-theme.css';
import './global.css';

import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { router } from './routes';
import { theme } from './theme';

const container = document.getElementById('root');
if (!container) throw new Error('index.html is missing the #root element');

createRoot(container).render(
  <StrictMode>
    {/*
      Strict CSP (style-src 'self'): the theme's CSS variables and breakpoint
      classes are generated at build time (vite-plugins/static-theme-css.ts)
      instead of being injected as <style> elements. Style *props* are fine:
      React applies them through the CSSOM, which CSP does not restrict.
    */}
    <MantineProvider theme={theme} forceColorScheme="light" withCssVariables={false} withGlobalClasses={false}>
      <RouterProvider router={router} />
    </MantineProvider>
  </StrictMode>,
);
