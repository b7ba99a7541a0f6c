// Kindling's local ESLint plugin. Registered in eslint.config.js under the `kindling` prefix.
import noRawSql from './no-raw-sql.js';

/** @type {import('eslint').ESLint.Plugin} */
const plugin = {
  meta: { name: 'eslint-plugin-kindling', version: '0.1.0' },
  rules: { 'no-raw-sql': noRawSql },
};

export default plugin;
