import fs from 'node:fs';
import path from 'node:path';

// security.md V6: SQL only through knex's builder and bindings. Raw SQL is allowed, but every `${...}` inside a
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
