import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cssVariablesResolver, theme } from './src/theme.ts';
import { staticThemeCss } from './vite-plugins/static-theme-css.ts';

// The Kindling server (`npm start`) listens on 8080 by default and owns these paths.
// eslint-disable-next-line @microsoft/sdl/no-insecure-url -- loopback only; the dev server never leaves this machine.
const apiTarget = 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: apiTarget },
  '/healthz': { target: apiTarget },
  '/readyz': { target: apiTarget },
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), staticThemeCss(theme, cssVariablesResolver)],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URIs; the CSP only allows data: for images.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
});
