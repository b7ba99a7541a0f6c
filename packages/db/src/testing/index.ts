export { createTestDatabase, type TestDatabase } from './test-database.js';
export { hmacBlindIndexForTests, seedMembership, seedOrganisation, seedUser, type EmailBlindIndex } from './identity-fixtures.js';
