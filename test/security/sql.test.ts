import fs from 'node:fs';
import path from 'node:path';

// docs/security.md#v6: SQL only through knex's builder and bindings. Raw SQL is allowed, but every `${...}` inside a
// raw SQL template is listed here with why it cannot carry input: a new interpolation fails this test until
// someone has checked it (and anything that could come from a request goes in as a `?` or `??` binding instead).

const SRC = path.join(__dirname, '..', '..', 'src');

const REVIEWED: Record<string, { expressions: string[]; why: string }> = {
  'metrics/rollup-repository.ts': {
    expressions: ['c', 'c', 'c', 'c', 'table', 'c', 'c'],
    why: 'counter column and table names from constant lists in the same file',
  },
  'db-roles.ts': {
    expressions: ["METRICS_SUBMISSION_COLUMNS.map(() => '??').join(', ')", 'sql'],
    why: '`??` placeholders for a constant column list; `sql` is one of the constant privilege checks in the file',
  },
};

const RAW_CALL =
  /\b(?:raw|whereRaw|orWhereRaw|havingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw)\(\s*`((?:[^`\\]|\\.)*)`/g;

/** The `${...}` expressions inside one template literal (no nesting of templates in SQL here). */
function interpolations(template: string): string[] {
  const found: string[] = [];
  for (let i = template.indexOf('${'); i >= 0; i = template.indexOf('${', i + 2)) {
    let depth = 1;
    let j = i + 2;
    for (; j < template.length && depth > 0; j++) {
      if (template[j] === '{') depth++;
      else if (template[j] === '}') depth--;
    }
    found.push(template.slice(i + 2, j - 1).trim());
  }
  return found;
}

describe('raw SQL', () => {
  it('interpolates into raw SQL only the reviewed, constant expressions', () => {
    const found: Record<string, string[]> = {};
    let rawCalls = 0;
    const files = (fs.readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const source = fs.readFileSync(path.join(SRC, file), 'utf8');
      for (const match of source.matchAll(RAW_CALL)) {
        rawCalls++;
        const expressions = interpolations(match[1]!);
        if (expressions.length > 0) {
          const name = file.split(path.sep).join('/');
          (found[name] ??= []).push(...expressions);
        }
      }
    }
    expect(rawCalls).toBeGreaterThan(20); // the scan does find the raw SQL there is
    expect(found).toEqual(Object.fromEntries(Object.entries(REVIEWED).map(([f, r]) => [f, r.expressions])));
  });
});

// docs/operations.md, "PgBouncer in transaction mode": behind PgBouncer in transaction mode each transaction may run on another server
// connection, so nothing may be left on one between transactions (test/faults/pgbouncer.test.ts proves it with a
// real PgBouncer; this scan catches a new use in every run of the suite).
const SESSION_STATE: Record<string, { pattern: RegExp; example: string }> = {
  'a named prepared statement': {
    pattern: /\.options\(\s*\{[^}]*\bname\s*:/,
    example: 'db.raw(sql, b).options({ name: `session-${statement}` })',
  },
  // A transaction-level lock (pg_advisory_xact_lock, src/migrate.ts) ends with its transaction: it is allowed.
  'a session-level advisory lock': {
    pattern: /pg_(?:try_)?advisory_lock/i,
    example: "raw('select pg_advisory_lock(1)')",
  },
  'LISTEN or NOTIFY': {
    pattern: /['"`]\s*(?:un)?listen\s+\w|['"`]\s*notify\s+\w/i,
    example: "raw('listen outbox')",
  },
  'a session SET': {
    pattern: /['"`]\s*set\s+(?:session\s+)?[a-z_.]+\s*(?:=|to\b)|set_config\(/i,
    example: "raw('set statement_timeout = 1000')",
  },
  'a temporary table': {
    pattern: /create\s+(?:temp|temporary)\s+table/i,
    example: "raw('create temp table t (id int)')",
  },
};

describe('SQL that a transaction pooler can run', () => {
  it('keeps nothing on a server connection between transactions: no named statements, advisory locks, LISTEN, session SET or temporary tables', () => {
    for (const { pattern, example } of Object.values(SESSION_STATE)) expect(example).toMatch(pattern);
    // What a transaction leaves behind at commit is fine: its own locks and SET LOCAL.
    const allowed = ["query('select pg_advisory_xact_lock($1)')", "query('set local statement_timeout = 0')"];
    for (const ok of allowed)
      for (const { pattern } of Object.values(SESSION_STATE)) expect(ok).not.toMatch(pattern);
    const found: string[] = [];
    const files = (fs.readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const source = fs.readFileSync(path.join(SRC, file), 'utf8');
      for (const [what, { pattern }] of Object.entries(SESSION_STATE)) {
        if (pattern.test(source)) found.push(`${file.split(path.sep).join('/')}: ${what}`);
      }
    }
    expect(found).toEqual([]);
  });
});
