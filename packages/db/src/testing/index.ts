export { createTestDatabase, type TestDatabase } from './test-database.js';
export { hmacBlindIndexForTests, seedMembership, seedOrganisation, seedUser, type EmailBlindIndex } from './identity-fixtures.js';
export { createPlainOwnerDatabase, type PlainOwnerDatabase } from './plain-owner-database.js';
