// kindling/no-raw-sql: SQL text must never be assembled from runtime values.
//
// Values spliced into SQL text are the classic injection path. Kysely's builder and its sql``
// tag send every interpolated value as a bind parameter, so they are the only allowed ways to
// put runtime data into a query. This rule reports:
//   (a) SQL-looking template literals with ${} interpolations, unless tagged with `sql`;
//   (b) SQL-looking `+` / `+=` concatenations that include a non-literal part;
//   (c) sql.raw(x) / sql.lit(x) whose argument is not a literal string: both paste x into the
//       SQL text verbatim (Kysely documents them as unsafe with unchecked input).
// Purely static SQL (no interpolation, or 'SELECT a ' + 'FROM b') is not reported.
// Limits, on purpose: no data flow (a SQL string built in one statement and extended with
// .concat()/.join() elsewhere is not seen); review catches what a syntactic rule cannot.

/** @typedef {import('estree').Node} Node */
/** @typedef {import('estree').Expression | import('estree').PrivateIdentifier} Operand */

const FIX = "use Kysely's builder or the sql`` tag, which sends values as parameters";

// Placeholder for a runtime value when the static text is pieced together for matching.
const HOLE = ' ? ';

// Each pattern needs SQL structure, not a lone keyword, to keep English messages quiet. They run
// on text whose whitespace runs are collapsed to one space, which keeps every pattern linear.
const SQL_PATTERNS = [
  /\bselect\b.*?\bfrom\b/i,
  /\binsert into\b/i,
  /\bupdate \S+ set\b/i,
  /\bdelete from\b/i,
  /\b(?:create|alter|drop) (?:or replace |unique |temp |temporary |if exists |if not exists )*(?:table|role|index|policy|schema|view|function|trigger|type|extension|database|user|sequence)\b/i,
  /\b(?:grant|revoke) (?:select|insert|update|delete|usage|all|execute|references|trigger|create|connect|temporary|truncate)\b/i,
  /\bgrant \S+ to\b/i,
  /\brevoke \S+ from\b/i,
  /\bset (?:local |session )?role\b/i,
  /\bset_config ?\(/i,
  /\btruncate table\b/i,
];

/** @param {string} text */
export function looksLikeSql(text) {
  const flat = text.replace(/\s+/g, ' ');
  return SQL_PATTERNS.some((pattern) => pattern.test(flat));
}

/** @param {Node} node */
function isStaticTemplate(node) {
  return node.type === 'TemplateLiteral' && node.expressions.length === 0;
}

/** @param {Node | null | undefined} node */
function isPlus(node) {
  return node?.type === 'BinaryExpression' && node.operator === '+';
}

/**
 * Static text of one operand of a concatenation; `hasHole` is set when a runtime value enters.
 * @param {Operand} node
 * @param {{ text: string, hasHole: boolean }} acc
 */
function collect(node, acc) {
  if (isPlus(node)) {
    const bin = /** @type {import('estree').BinaryExpression} */ (node);
    collect(bin.left, acc);
    collect(bin.right, acc);
  } else if (node.type === 'Literal' && typeof node.value === 'string') {
    acc.text += node.value;
  } else if (node.type === 'TemplateLiteral') {
    node.quasis.forEach((quasi, i) => {
      acc.text += quasi.value.cooked ?? quasi.value.raw;
      if (i < node.expressions.length) {
        acc.text += HOLE;
        acc.hasHole = true;
      }
    });
  } else {
    acc.text += HOLE;
    acc.hasHole = true;
  }
}

/** @param {Node} tag */
function isSqlTag(tag) {
  // sql`...` and sql<Row>`...` (type arguments live on the TaggedTemplateExpression, not the tag).
  return tag.type === 'Identifier' && tag.name === 'sql';
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Forbid SQL assembled by string interpolation or concatenation outside the Kysely query builder / sql`` tag',
    },
    schema: [],
    messages: {
      interpolated: `SQL built by template interpolation: values spliced into SQL text allow injection; ${FIX}.`,
      concatenated: `SQL built by string concatenation: values spliced into SQL text allow injection; ${FIX}.`,
      rawCall: `sql.{{method}}() with a non-literal argument pastes it into the SQL text unescaped; ${FIX} (sql.id()/sql.ref() for identifiers).`,
    },
  },
  create(context) {
    return {
      TemplateLiteral(node) {
        if (node.expressions.length === 0) return;
        const parent = /** @type {Node | undefined} */ (/** @type {{ parent?: Node }} */ (node).parent);
        if (parent?.type === 'TaggedTemplateExpression' && isSqlTag(parent.tag)) return;
        // Inside a concatenation the whole chain is judged once, at its top.
        if (isPlus(parent)) return;
        const acc = { text: '', hasHole: false };
        collect(node, acc);
        if (looksLikeSql(acc.text)) context.report({ node, messageId: 'interpolated' });
      },
      BinaryExpression(node) {
        if (node.operator !== '+') return;
        const parent = /** @type {Node | undefined} */ (/** @type {{ parent?: Node }} */ (node).parent);
        if (isPlus(parent)) return;
        const acc = { text: '', hasHole: false };
        collect(node, acc);
        if (acc.hasHole && looksLikeSql(acc.text)) context.report({ node, messageId: 'concatenated' });
      },
      AssignmentExpression(node) {
        if (node.operator !== '+=') return;
        // `query += ' WHERE id = ' + id`: the left side is runtime text by definition.
        const acc = { text: HOLE, hasHole: true };
        collect(node.right, acc);
        const rightAcc = { text: '', hasHole: false };
        collect(node.right, rightAcc);
        // Only report here when the right side alone would not already be reported.
        const rightReported = rightAcc.hasHole && looksLikeSql(rightAcc.text);
        if (!rightReported && looksLikeSql(acc.text)) context.report({ node, messageId: 'concatenated' });
      },
      CallExpression(node) {
        const callee = node.callee;
        if (
          callee.type !== 'MemberExpression' ||
          callee.computed ||
          callee.object.type !== 'Identifier' ||
          callee.object.name !== 'sql' ||
          callee.property.type !== 'Identifier' ||
          (callee.property.name !== 'raw' && callee.property.name !== 'lit')
        ) {
          return;
        }
        const arg = node.arguments[0];
        // Any literal (string, number, boolean, null) is fixed at review time, so it is safe.
        if (arg !== undefined && (arg.type === 'Literal' || isStaticTemplate(arg))) return;
        context.report({ node, messageId: 'rawCall', data: { method: callee.property.name } });
      },
    };
  },
};

export default rule;
