import { fileURLToPath } from 'node:url';

// Resolved relative to this file rather than process.cwd(), so the API server
// finds the built app whichever folder it is started from.
export const webDistPath = fileURLToPath(new URL('./dist', import.meta.url));
