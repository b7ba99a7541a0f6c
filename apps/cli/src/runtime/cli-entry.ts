import { fileURLToPath } from 'node:url';

/** The built `kindling` entry point, so the dispatcher can start job processes with this same build. */
export const cliEntryPath: string = fileURLToPath(new URL('../bin.js', import.meta.url));
