export { generateDemoData, type DemoDataOptions, type DemoDataSummary } from './generate-demo-data.js';
export { demoFormats, type DemoFormat } from './output/format-layouts.js';
export { groundTruthFileName } from './output/ground-truth-writer.js';
export type { DemoOutput } from './output/csv-sink.js';
