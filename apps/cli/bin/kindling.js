#!/usr/bin/env node
// Launcher kept in plain JavaScript so `npx kindling` exists right after `npm ci`, before the
// TypeScript build has produced dist/: it then says how to build instead of a module-not-found.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/bin.js', import.meta.url))) {
  process.stderr.write('kindling: the CLI is not built yet. Run `npm run build` (or `npm start`, which builds first).\n');
  process.exit(1);
}
await import('../dist/bin.js');
