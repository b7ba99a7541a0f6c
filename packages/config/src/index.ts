export { loadConfig, envSchema, type Config } from './env-schema.js';
