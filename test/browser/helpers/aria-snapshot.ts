import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

// Accessibility-tree snapshots of each page type (Playwright's ariaSnapshot: landmarks, headings, names,
// roles and states, as assistive technology gets them), kept under version control. A change to what a screen
// reader meets then shows up as a diff in review. Rewrite them with UPDATE_A11Y_SNAPSHOTS=1.

export const SNAPSHOT_DIR = path.join(__dirname, '..', 'aria-snapshots');
const updating = process.env.UPDATE_A11Y_SNAPSHOTS === '1';

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';

/** Things that change from run to run or day to day, replaced by placeholders. */
const MASKS: readonly (readonly [RegExp, string])[] = [
  // References: ABCD-EFGH-JK as shown, ABCDEFGHJK in URLs.
  [/\b[A-HJ-NP-Y2-9]{4}-[A-HJ-NP-Y2-9]{4}-[A-HJ-NP-Y2-9]{2}\b/g, '<reference>'],
  [/\/staff\/submissions\/[A-HJ-NP-Y2-9]{10}\b/g, '/staff/submissions/<reference>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<id>'],
  [/\/staff\/users\/\d+\//g, '/staff/users/<id>/'],
  [new RegExp(`\\b\\d{1,2} (${MONTHS}) \\d{4}\\b`, 'g'), '<date>'],
  [/\b\d{4}-\d{2}-\d{2}\b/g, '<date>'],
  [/\b\d{2}:\d{2}( UTC)?\b/g, '<time>'],
  [/\/static\/[0-9a-f]{12}\//g, '/static/<version>/'],
  [/staff-\d+-[0-9a-f]{6}@example\.gov\.uk/g, '<staff email>'],
];

export function maskSnapshot(snapshot: string): string {
  return MASKS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), snapshot);
}

/** Compare the page's accessibility tree with test/browser/aria-snapshots/<name>.txt (or write it). */
export async function expectAriaSnapshot(page: Page, name: string): Promise<void> {
  const actual = `${maskSnapshot(await page.locator('body').ariaSnapshot())}\n`;
  const file = path.join(SNAPSHOT_DIR, `${name}.txt`);
  if (updating) {
    fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) {
    throw new Error(
      `no accessibility-tree snapshot ${path.relative(process.cwd(), file)}: run with UPDATE_A11Y_SNAPSHOTS=1`,
    );
  }
  const expected = fs.readFileSync(file, 'utf8');
  if (actual !== expected) {
    throw new Error(
      `the accessibility tree of ${new URL(page.url()).pathname} (${name}) changed. If the change is intended, ` +
        `rewrite the snapshot with UPDATE_A11Y_SNAPSHOTS=1 npm run test:a11y and review the diff.\n` +
        lineDiff(expected, actual),
    );
  }
}

/** A short diff: the lines only in the saved snapshot (-) and only in the page now (+). */
function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const onlyA = a.filter((line) => !b.includes(line)).map((l) => `- ${l}`);
  const onlyB = b.filter((line) => !a.includes(line)).map((l) => `+ ${l}`);
  return [...onlyA, ...onlyB].slice(0, 40).join('\n');
}
