import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import rule, { looksLikeSql } from './no-raw-sql.js';

// RuleTester defines its own cases through these hooks; route them to vitest.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2023, sourceType: 'module' } });

const interpolated = [{ messageId: 'interpolated' }];
const concatenated = [{ messageId: 'concatenated' }];

tester.run('kindling/no-raw-sql', rule, {
  valid: [
    // Kysely's sql tag: interpolations are sent as bind parameters.
    'const q = sql`SELECT * FROM donor WHERE id = ${id}`;',
    'const q = sql`UPDATE donor SET name = ${name} WHERE id = ${id}`;',
    'await sql`GRANT CONNECT ON DATABASE ${sql.id(db)} TO kindling_app`.execute(owner);',
    // Static SQL: no runtime value enters the text.
    "const q = 'SELECT * FROM donor';",
    'const q = `SELECT * FROM donor`;',
    "const q = 'SELECT name ' + 'FROM donor';",
    // Interpolated, but not SQL.
    'const m = `Selected ${n} donors`;',
    'const m = `Update ${name}: settings saved`;',
    "const m = 'Please select a file ' + name;",
    'const m = `Deleted ${n} drafts from the queue`;',
    'const m = `grant access for ${user}`;',
    // sql.raw / sql.lit with literals are reviewed in place.
    "sql.raw('now()');",
    'sql.raw(`now()`);',
    'sql.lit(42);',
    // Builders are not sql.raw.
    'db.selectFrom("donor").where("id", "=", id);',
    'other.raw(x);',
  ],
  invalid: [
    { code: 'const q = `SELECT * FROM donor WHERE id = ${id}`;', errors: interpolated },
    { code: "const q = `select name from donor where name = '${name}'`;", errors: interpolated },
    { code: 'const q = `INSERT INTO gift (amount) VALUES (${amount})`;', errors: interpolated },
    { code: 'const q = `UPDATE donor SET name = ${name}`;', errors: interpolated },
    { code: 'const q = `UPDATE ${table} SET name = 1`;', errors: interpolated },
    { code: 'const q = `DELETE FROM donor WHERE id = ${id}`;', errors: interpolated },
    { code: 'const q = `CREATE TABLE ${name} (id int)`;', errors: interpolated },
    { code: 'const q = `create unique index ${name} on donor (email)`;', errors: interpolated },
    { code: 'const q = `ALTER ROLE ${role} WITH LOGIN`;', errors: interpolated },
    { code: 'const q = `DROP SCHEMA IF EXISTS ${schema}`;', errors: interpolated },
    { code: 'const q = `DROP TABLE IF EXISTS ${name}`;', errors: interpolated },
    { code: 'const q = `CREATE POLICY p ON donor USING (org_id = ${org})`;', errors: interpolated },
    { code: 'const q = `GRANT SELECT ON donor TO ${role}`;', errors: interpolated },
    { code: 'const q = `GRANT ${group} TO ${role}`;', errors: interpolated },
    { code: 'const q = `REVOKE ALL ON donor FROM ${role}`;', errors: interpolated },
    { code: 'const q = `SET ROLE ${role}`;', errors: interpolated },
    { code: 'const q = `SET LOCAL ROLE ${role}`;', errors: interpolated },
    { code: "const q = `SELECT set_config('app.org_id', '${org}', true)`;", errors: interpolated },
    // Multi-line SQL is matched across lines.
    { code: 'const q = `\n  SELECT name\n  FROM donor\n  WHERE id = ${id}`;', errors: interpolated },
    // Other tags do not parameterise.
    { code: 'const q = String.raw`SELECT * FROM donor WHERE id = ${id}`;', errors: interpolated },
    { code: "const q = 'SELECT * FROM donor WHERE id = ' + id;", errors: concatenated },
    { code: "const q = 'DELETE FROM donor WHERE id = ' + id + ' AND 1=1';", errors: concatenated },
    { code: "const q = 'INSERT INTO ' + table + ' VALUES (1)';", errors: concatenated },
    // A concatenation is reported once, not once per part.
    { code: "const q = `SELECT * FROM ${t}` + ' WHERE id = ' + id;", errors: concatenated },
    { code: "let q = ''; q += 'DELETE FROM donor WHERE id = ' + id;", errors: concatenated },
    { code: "let q = ''; q += 'UPDATE donor SET x = 1';", errors: concatenated },
    {
      code: 'sql.raw(userInput);',
      errors: [{ messageId: 'rawCall', data: { method: 'raw' } }],
    },
    {
      code: 'sql.raw(`SELECT * FROM ${t}`);',
      errors: [{ messageId: 'rawCall', data: { method: 'raw' } }, { messageId: 'interpolated' }],
    },
    {
      code: 'sql`ALTER ROLE app PASSWORD ${sql.lit(password)}`;',
      errors: [{ messageId: 'rawCall', data: { method: 'lit' } }],
    },
    { code: 'sql.raw();', errors: [{ messageId: 'rawCall', data: { method: 'raw' } }] },
  ],
});

describe('looksLikeSql', () => {
  it('needs SQL structure, not a lone keyword', ({ expect }) => {
    expect(looksLikeSql('SELECT id FROM donor')).toBe(true);
    expect(looksLikeSql('select')).toBe(false);
    expect(looksLikeSql('Update ? settings')).toBe(false);
    expect(looksLikeSql('please drop ? table here')).toBe(false);
  });
});
