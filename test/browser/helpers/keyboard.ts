import path from 'node:path';
import type { FileChooser, Page } from 'playwright-core';
import { FIXTURE_FILES } from '../../helpers/journey';
import type { JourneyStep } from '../../fixtures/journeys/types';
import type { Tab } from './browser';

// A keyboard-only user: Tab (and Shift+Tab never needed: the forms are filled in document order), arrow keys
// in radio groups, Space on checkboxes and radios, Enter on links and buttons, and typing. Nothing here clicks
// or sets a value directly; the page is only read, to know where focus is.

export type Focused = Readonly<{
  tag: string;
  type: string;
  name: string;
  value: string;
  checked: boolean;
  text: string;
  id: string;
}> | null;

export function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el || el === document.body) return null;
    return {
      tag: el.tagName.toLowerCase(),
      type: el.type ?? '',
      name: el.getAttribute('name') ?? '',
      value: el.value ?? '',
      checked: !!el.checked,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      id: el.id,
    };
  });
}

/** Press Tab until the focused element matches; fails after `max` presses (so a trap or a missing field shows). */
export async function tabTo(
  page: Page,
  what: string,
  matches: (f: NonNullable<Focused>) => boolean,
  max = 150,
): Promise<NonNullable<Focused>> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && matches(f)) return f;
  }
  throw new Error(`${max} Tab presses did not reach ${what} on ${page.url()}`);
}

export const tabToButton = (page: Page, text: string) =>
  tabTo(page, `the "${text}" button`, (f) => (f.tag === 'button' || f.tag === 'a') && f.text === text);

/** Press a button or follow a link by keyboard, and wait for the page it leads to. */
export async function activate(tab: Tab, text: string, key: 'Enter' | ' ' = 'Enter') {
  await tabToButton(tab.page, text);
  return tab.navigating(() => tab.page.keyboard.press(key === ' ' ? 'Space' : 'Enter'));
}

/** Tab to the field named `name` and type `text` into it (the field is expected to be empty). */
export async function typeInField(page: Page, name: string, text: string): Promise<void> {
  const f = await tabTo(page, `the field "${name}"`, (x) => x.name === name);
  if (f.value !== '') throw new Error(`the field "${name}" already holds "${f.value}" on ${page.url()}`);
  await page.keyboard.type(text);
}

/** Type into the focused field, replacing what it holds. */
async function typeReplacing(page: Page, value: string) {
  await page.keyboard.press('ControlOrMeta+A');
  if (value === '') await page.keyboard.press('Backspace');
  else await page.keyboard.type(value);
}

/**
 * Answer a question page from its fixture step by keyboard alone, then press Continue. Fields are visited in
 * document order; a radio that reveals a conditional question comes before it, so the question is open by the
 * time Tab reaches it.
 */
/**
 * Space on the focused file input opens the file chooser. Chromium now and then drops that request when the page
 * is busy (twice in one CI run, in different journeys, never locally), so a person would press Space again: up to
 * three presses, each given 5 seconds. A file input that never opens one still fails.
 */
async function openFileChooser(page: Page): Promise<FileChooser> {
  for (let press = 1; ; press++) {
    try {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser', { timeout: 5000 }),
        page.keyboard.press('Space'),
      ]);
      return chooser;
    } catch (err) {
      if (press >= 3) throw err;
    }
  }
}

/**
 * On an upload page: for each file, Tab to the file input (or, with JavaScript, the drop zone's "Choose file"
 * button), press Space to open the file chooser, pick the file, then Tab to "Upload file" and press Enter.
 */
export async function uploadByKeyboard(tab: Tab, files: readonly string[]): Promise<void> {
  const { page } = tab;
  for (const file of files) {
    await tabTo(
      page,
      'the file input',
      (x) => x.type === 'file' || (x.tag === 'button' && /choose file/i.test(x.text)),
    );
    const chooser = await openFileChooser(page);
    await chooser.setFiles(path.join(FIXTURE_FILES, file));
    await activate(tab, 'Upload file');
  }
}

export async function answerByKeyboard(tab: Tab, step: JourneyStep, button = 'Continue'): Promise<void> {
  const { page } = tab;
  if (step.files) {
    await uploadByKeyboard(tab, step.files);
    await activate(tab, button);
    return;
  }
  const names = await page.evaluate((wanted: string[]) => {
    const order: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main form [name]'))) {
      const name = el.getAttribute('name')!;
      if (wanted.includes(name) && !order.includes(name)) order.push(name);
    }
    return order;
  }, Object.keys(step.body));
  const missing = Object.keys(step.body).filter((n) => !names.includes(n));
  if (missing.length > 0) throw new Error(`no field named ${missing.join(', ')} on ${tab.path}`);

  for (const name of names) {
    const raw = step.body[name]!;
    const wanted = Array.isArray(raw) ? raw : [raw as string];
    const kind = await page.evaluate(
      (n: string) => (document.querySelector(`main form [name="${CSS.escape(n)}"]`) as HTMLInputElement).type,
      name,
    );
    if (kind === 'radio') {
      let f = await tabTo(page, `the radios "${name}"`, (x) => x.name === name && x.type === 'radio');
      // Arrow keys move through a radio group and choose as they go; Space chooses the first one.
      for (let i = 0; i < 20 && f.value !== wanted[0]; i++) {
        await page.keyboard.press('ArrowDown');
        f = (await focused(page))!;
      }
      if (f.value !== wanted[0]) throw new Error(`the arrow keys never reached ${name}=${wanted[0]}`);
      if (!f.checked) await page.keyboard.press('Space');
    } else if (kind === 'checkbox') {
      const values = await page.evaluate(
        (n: string) =>
          Array.from(document.querySelectorAll<HTMLInputElement>(`main form [name="${CSS.escape(n)}"]`)).map(
            (c) => c.value,
          ),
        name,
      );
      for (const value of values) {
        const f = await tabTo(
          page,
          `the checkbox ${name}=${value}`,
          (x) => x.name === name && x.value === value,
        );
        if (f.checked !== wanted.includes(value)) await page.keyboard.press('Space');
      }
    } else {
      const current = await tabTo(page, `the field "${name}"`, (x) => x.name === name);
      if (current.value !== wanted.join(',')) await typeReplacing(page, wanted.join(','));
    }
  }
  await activate(tab, button);
}
