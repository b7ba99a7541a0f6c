export type { CellResult } from './values/cell-result.js';
export { parseBoolean } from './values/boolean-parsing.js';
export { inferAmountColumn, parseAmount, type Amount, type AmountColumnInference, type AmountParseOptions, type DecimalSeparator } from './values/amount-parsing.js';
export { inferDateColumn, parseDate, type DateColumnInference, type DateParseOptions, type DayMonthOrder } from './values/date-parsing.js';
export { openCsvFile, type CsvFile, type CsvReadOptions } from './files/csv-reader.js';
export type { CsvRecord } from './files/csv-tokenizer.js';
export type { TextEncoding } from './files/text-encoding.js';
export { readZipEntries, type ZipEntry, type ZipLimits } from './files/zip-entries.js';
export { readXlsxSheet, type XlsxReadOptions, type XlsxSheet } from './files/xlsx-reader.js';
