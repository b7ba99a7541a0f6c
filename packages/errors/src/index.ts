export { AppError, isAppError, errorCodes, type ErrorCode } from './app-error.js';
