export { cleanStaleScratch, createScratchSpace, withScratchSpace, type ScratchFile, type ScratchSpace } from './scratch-space.js';
