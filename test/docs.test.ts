import fs from 'node:fs';
import path from 'node:path';

// The documentation stays true to the repository: nothing refers to a file outside it, every control id cited
// has its heading in docs/security.md, every relative link in the README and docs/ leads somewhere, and the
// README stays a short front page. Each check is a function of a set of files, so the first block below proves
// each one fails on a small broken example before the second runs it on the repository.

const ROOT = path.join(__dirname, '..');
const SCANNED = ['src', 'test', 'bench', 'migrations', 'views', 'docs', '.ci', 'README.md'];
/** Configuration files at the top of the repository, which carry comments too. */
const ROOT_FILES = /^(?:[\w.-]+\.(?:js|mjs|cjs|json)|Dockerfile)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'data', 'coverage', '.git']);
const BINARY = /\.(png|jpe?g|gif|ico|svg|woff2?|gz|zip|pdf)$/i;
const REGISTER = 'docs/security.md';
const README_MAX_LINES = 150;

/** Repository-relative path (with forward slashes) to its text. */
type Files = ReadonlyMap<string, string>;

function readRepository(root: string): Files {
  const files = new Map<string, string>();
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const entry of fs.readdirSync(full)) {
        if (!SKIPPED_DIRS.has(entry)) visit(path.posix.join(relative, entry));
      }
    } else if (!BINARY.test(relative)) {
      files.set(relative, fs.readFileSync(full, 'utf8'));
    }
  };
  for (const top of SCANNED) visit(top);
  for (const entry of fs.readdirSync(root)) {
    if (
      ROOT_FILES.test(entry) &&
      entry !== 'package-lock.json' &&
      fs.statSync(path.join(root, entry)).isFile()
    )
      visit(entry);
  }
  return files;
}

const isMarkdown = (file: string) => file.endsWith('.md');
const isDocumentation = (file: string) =>
  file === 'README.md' || (file.startsWith('docs/') && isMarkdown(file));

/** Markdown without its fenced code blocks (links and headings inside them are not links or headings). */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = text!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The relative link targets of a markdown file (images included), outside code. */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const [, target] of withoutCodeBlocks(markdown).matchAll(
    /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  )) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(target!)) targets.push(target!);
  }
  return targets;
}

/** Where a link target in `from` points, repository-relative, and its fragment. */
function resolveLink(from: string, target: string): { file: string; fragment?: string } {
  const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
  const file =
    pathPart === '' ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), pathPart));
  return {
    file: file.replace(/\/$/, ''),
    fragment: fragment === undefined ? undefined : decodeURIComponent(fragment),
  };
}

/** Files that refer to the shared folder beside the repository. */
function outsideReferences(files: Files): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    text.split('\n').forEach((line, i) => {
      if (/\.\.\/shared\b/.test(line)) problems.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return problems;
}

/** Mentions of a security register other than the repository's own, docs/security.md. */
function foreignRegisterReferences(files: Files): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      for (const match of line.matchAll(/security\.md/g)) {
        const before = line.slice(0, match.index);
        // Always named with its folder, so a reader never mistakes it for a file elsewhere: "docs/security.md",
        // or from inside docs/ a link "../docs/security.md" (which must lead to it).
        if (!/(^|[^\w-])docs\/$/.test(before)) {
          problems.push(`${file}:${i + 1}: ${line.trim()}`);
          continue;
        }
        const link = /\]\(\s*<?([^)\s>]*)$/.exec(before);
        if (
          link &&
          isMarkdown(file) &&
          resolveLink(file, `${link[1]}${path.posix.basename(REGISTER)}`).file !== REGISTER
        )
          problems.push(`${file}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  return problems;
}

/** Control ids and sections cited in the register's name, and the anchors docs/security.md lacks for them. */
function missingRegisterAnchors(files: Files): string[] {
  const register = files.get(REGISTER);
  const anchors = register === undefined ? new Set<string>() : headingAnchors(register);
  const problems: string[] = [];
  const cite = (file: string, line: number, anchor: string) => {
    if (!anchors.has(anchor)) problems.push(`${file}:${line}: ${REGISTER}#${anchor}`);
  };
  for (const [file, text] of files) {
    text.split('\n').forEach((line, i) => {
      // The register and an anchor, and any anchors that follow it as "#a, #b and #c" or "#a to #c".
      for (const [run] of line.matchAll(
        /docs\/security\.md#[\w-]+(?:(?:,\s*|\s+and\s+|\s+to\s+)#[\w-]+)*/g,
      )) {
        for (const [, anchor] of run.matchAll(/#([\w-]+)/g)) cite(file, i + 1, anchor!);
      }
      // The older citation form, the file name then a bare id ("F11"): its anchor must exist too.
      for (const [, id] of line.matchAll(/security\.md[' ]+([A-Z]+[0-9]+)\b/g))
        cite(file, i + 1, id!.toLowerCase());
    });
  }
  return problems;
}

/** Relative links in README.md and docs/ whose file, or whose heading in a markdown file, does not exist. */
function brokenLinks(files: Files, exists: (file: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    if (!isDocumentation(file)) continue;
    for (const target of relativeLinks(text)) {
      const { file: linked, fragment } = resolveLink(file, target);
      if (!exists(linked)) {
        problems.push(`${file}: ${target} (no file ${linked})`);
      } else if (fragment !== undefined && isMarkdown(linked)) {
        const markdown = files.get(linked);
        if (markdown !== undefined && !headingAnchors(markdown).has(fragment)) {
          problems.push(`${file}: ${target} (no heading #${fragment} in ${linked})`);
        }
      }
    }
  }
  return problems;
}

function readmeTooLong(files: Files): string[] {
  const lines = (files.get('README.md') ?? '').replace(/\n$/, '').split('\n').length;
  return lines > README_MAX_LINES ? [`README.md has ${lines} lines, more than ${README_MAX_LINES}`] : [];
}

describe('the documentation checks themselves', () => {
  // Built from pieces so that this file does not trip the checks it defines.
  const shared = ['..', 'shared', 'reference', 'notes.md'].join('/');
  const bareRegister = 'security' + '.md';
  const cite = (anchors: string) => `docs/${bareRegister}#${anchors}`;
  const register = [
    '# Register',
    '## Sessions',
    '### S4',
    '### F11',
    '## Bad-input catalogue',
    '```md',
    '### Z9',
    '```',
  ].join('\n');

  it('finds a reference to the shared folder outside the repository', () => {
    expect(outsideReferences(new Map([['src/a.ts', `// see ${shared}`]]))).toHaveLength(1);
    expect(outsideReferences(new Map([['src/a.ts', '// see docs/operations.md']]))).toEqual([]);
  });

  it('finds a security register named other than as docs/security.md', () => {
    expect(foreignRegisterReferences(new Map([['src/a.ts', `// (${bareRegister} F11)`]]))).toHaveLength(1);
    expect(
      foreignRegisterReferences(new Map([['test/b.ts', `// ${shared.replace('notes', 'security')}`]])),
    ).toHaveLength(1);
    expect(
      foreignRegisterReferences(new Map([['docs/x.md', `[the register](../${bareRegister})`]])),
    ).toHaveLength(1);
    expect(
      foreignRegisterReferences(
        new Map([
          ['src/a.ts', `// (${cite('f11')})`],
          ['docs/x.md', `[F11](../docs/${bareRegister}#f11)`],
          ['docs/adr/1.md', `[F11](../../docs/${bareRegister}#f11)`],
        ]),
      ),
    ).toEqual([]);
    // Named without its folder, even where the link would resolve to it; or named with it, leading elsewhere.
    expect(foreignRegisterReferences(new Map([['docs/x.md', `[F11](${bareRegister}#f11)`]]))).toHaveLength(1);
    expect(
      foreignRegisterReferences(new Map([['docs/x.md', `[F11](docs/${bareRegister}#f11)`]])),
    ).toHaveLength(1);
  });

  it('finds a cited control id with no heading in the register, whichever way it is cited', () => {
    const files = (citation: string) =>
      new Map([
        [REGISTER, register],
        ['src/a.ts', `// ${citation}`],
      ]);
    expect(missingRegisterAnchors(files(cite('f11 and #s4')))).toEqual([]);
    expect(missingRegisterAnchors(files(cite('bad-input-catalogue')))).toEqual([]);
    expect(missingRegisterAnchors(files(cite('f12')))).toHaveLength(1);
    expect(missingRegisterAnchors(files(cite('s4, #s5 and #f11')))).toEqual([`src/a.ts:1: ${cite('s5')}`]);
    expect(missingRegisterAnchors(files(cite('z9')))).toHaveLength(1);
    expect(missingRegisterAnchors(files(`${bareRegister} REL5`))).toHaveLength(1);
    expect(missingRegisterAnchors(new Map([['src/a.ts', `// ${cite('f11')}`]]))).toHaveLength(1);
  });

  it('makes heading anchors as GitHub does', () => {
    expect([
      ...headingAnchors('## Headers, hosts and errors\n### REL5\n## Not built, known limits\n## REL5'),
    ]).toEqual(['headers-hosts-and-errors', 'rel5', 'not-built-known-limits', 'rel5-1']);
  });

  it('finds a relative link to a file or heading that does not exist', () => {
    const files = (link: string) =>
      new Map([
        [REGISTER, register],
        ['docs/README.md', `See [it](${link}).`],
      ]);
    const exists = (file: string) =>
      file === REGISTER || file === 'docs/README.md' || file === 'docs/images/a.png';
    expect(brokenLinks(files(`${bareRegister}#f11`), exists)).toEqual([]);
    expect(brokenLinks(files('images/a.png'), exists)).toEqual([]);
    expect(brokenLinks(files('https://www.gov.uk/'), exists)).toEqual([]);
    expect(brokenLinks(files('missing.md'), exists)).toHaveLength(1);
    expect(brokenLinks(files('../docs/missing.png'), exists)).toHaveLength(1);
    expect(brokenLinks(files(`${bareRegister}#f12`), exists)).toHaveLength(1);
    expect(brokenLinks(files('#nowhere'), exists)).toHaveLength(1);
  });

  it('finds a README over the limit', () => {
    expect(readmeTooLong(new Map([['README.md', 'line\n'.repeat(README_MAX_LINES)]]))).toEqual([]);
    expect(readmeTooLong(new Map([['README.md', 'line\n'.repeat(README_MAX_LINES + 1)]]))).toHaveLength(1);
  });
});

describe('the repository’s documentation', () => {
  const files = readRepository(ROOT);
  const exists = (file: string) => fs.existsSync(path.join(ROOT, file));

  it('reads the files it checks', () => {
    expect(files.has('README.md')).toBe(true);
    expect(files.has(REGISTER)).toBe(true);
    expect(files.has('src/app.ts')).toBe(true);
  });

  it('refers to no file in the shared folder outside the repository', () => {
    expect(outsideReferences(files)).toEqual([]);
  });

  it('names no security register but docs/security.md', () => {
    expect(foreignRegisterReferences(files)).toEqual([]);
  });

  it('has a heading in docs/security.md for every control id the code, tests and docs cite', () => {
    expect(missingRegisterAnchors(files)).toEqual([]);
  });

  it('has no relative link in the README or docs/ to a file or heading that does not exist', () => {
    expect(brokenLinks(files, exists)).toEqual([]);
  });

  it(`keeps the README to ${README_MAX_LINES} lines at most`, () => {
    expect(readmeTooLong(files)).toEqual([]);
  });
});
