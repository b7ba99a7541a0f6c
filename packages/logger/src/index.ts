export { createLogger, redact, type Logger, type LoggerOptions } from './logger.js';
