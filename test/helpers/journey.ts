import request from 'supertest';
import type { Express } from 'express';
import { parseHtml } from './html';
import path from 'node:path';
import type { JourneyPath, JourneyStep } from '../fixtures/journeys/types';

export const FIXTURE_FILES = path.resolve(__dirname, '../fixtures/files');

export type Agent = ReturnType<typeof request.agent>;

/** The fixtures' dates assume this day (fishing licences start in 2027, dates of birth are in the past). */
export const FIXED_NOW = new Date('2026-11-29T12:00:00Z');
export const fixedClock = () => FIXED_NOW;

export const csrfTokenIn = (html: string): string => {
  const token = parseHtml(html)('input[name="_csrf"]').attr('value');
  if (!token) throw new Error('no CSRF token on the page');
  return token;
};

/** GET a page and POST a form on it with the page's own CSRF token, as a browser would. */
export async function postForm(
  agent: Agent,
  url: string,
  body: Record<string, string | string[]>,
  formPage = url,
) {
  const page = await agent.get(formPage);
  if (page.status !== 200) throw new Error(`GET ${formPage} answered ${page.status}, expected 200`);
  return agent
    .post(url)
    .type('form')
    .send({ ...body, _csrf: csrfTokenIn(page.text) });
}

/**
 * POST an upload page's form as a browser does (multipart): one file with "Upload file" (`file` given) or, without
 * one, Continue. The file input's name is read from the page.
 */
export async function postUpload(
  agent: Agent,
  url: string,
  file?: Readonly<{ name: string; content: Buffer } | { fixture: string }>,
  action: 'upload' | 'continue' = file ? 'upload' : 'continue',
) {
  const page = await agent.get(url);
  if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}, expected 200`);
  const $ = parseHtml(page.text);
  const field = $('input[type="file"]').attr('name') ?? 'file';
  const req = agent.post(url).field('_csrf', csrfTokenIn(page.text)).field('action', action);
  if (!file) return req;
  return 'fixture' in file
    ? req.attach(field, path.join(FIXTURE_FILES, file.fixture))
    : req.attach(field, file.content, file.name);
}

/** One fixture step: a form POST, or on an upload page each file uploaded and then Continue. */
export async function postStep(agent: Agent, url: string, step: JourneyStep) {
  if (!step.files) return postForm(agent, url, step.body);
  for (const fixture of step.files) {
    const res = await postUpload(agent, url, { fixture });
    if (res.status !== 303) {
      const errors = parseHtml(res.text)('.govuk-error-summary__list a').text();
      throw new Error(`uploading ${fixture} to ${url} answered ${res.status}: ${errors}`);
    }
  }
  return postUpload(agent, url);
}

/** Check-your-answers rows as { label: value text }, with multi-line values joined by ", ". */
export function summaryRows(html: string): Record<string, string> {
  const $ = parseHtml(html);
  const rows: Record<string, string> = {};
  $('.govuk-summary-list__row').each((_i, row) => {
    const key = $(row).find('.govuk-summary-list__key').text().trim();
    const valueCell = $(row).find('.govuk-summary-list__value');
    valueCell.find('br').replaceWith(', ');
    rows[key] = valueCell.text().replace(/\s+/g, ' ').trim();
  });
  return rows;
}

/** Walk a fixture path from "Start now" to check answers, asserting each redirect goes where the path says. */
export async function walkToCheckAnswers(
  app: Express,
  slug: string,
  path: JourneyPath,
  agent = request.agent(app),
) {
  const start = await agent.get(`/services/${slug}/start`);
  if (start.status !== 302) throw new Error(`start answered ${start.status}`);
  let location = start.headers.location;
  for (const step of path.steps) {
    const url = `/services/${slug}/${step.page}`;
    if (location !== url)
      throw new Error(`${path.name}: expected to be sent to ${url}, was sent to ${location}`);
    const res = await postStep(agent, url, step);
    if (res.status !== 302) {
      const errors = parseHtml(res.text)('.govuk-error-summary__list a')
        .map((_i, a) => parseHtml(res.text)(a).text())
        .get();
      throw new Error(`${path.name}: POST ${url} answered ${res.status}: ${errors.join('; ')}`);
    }
    location = res.headers.location;
  }
  if (location !== `/services/${slug}/check-answers`) {
    throw new Error(`${path.name}: after the last step expected check answers, was sent to ${location}`);
  }
  return agent;
}

/** Press the send button on check answers; returns the response to the POST. */
export async function sendApplication(agent: Agent, slug: string) {
  const page = await agent.get(`/services/${slug}/check-answers`);
  const $ = parseHtml(page.text);
  const token = $('input[name="submissionToken"]').attr('value');
  return agent
    .post(`/services/${slug}/check-answers`)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), submissionToken: token ?? '' });
}

/** Assert a response's status, showing the page's error summary when it is not the expected one. */
export function expectStatus<R extends { status: number; text: string }>(res: R, status: number): R {
  if (res.status !== status) {
    const errors = parseHtml(res.text)('.govuk-error-summary__list a')
      .map((_i, a) => parseHtml(res.text)(a).text())
      .get();
    throw new Error(
      `expected status ${status}, got ${res.status}${errors.length ? `: ${errors.join('; ')}` : ''}`,
    );
  }
  return res;
}

/** The same path with every email address in its answers replaced by `email`: one fixture, many citizens. */
export function withEmail(path: JourneyPath, email: string): JourneyPath {
  const swap = (v: string) => (v.includes('@') ? email : v);
  return {
    ...path,
    steps: path.steps.map((step) => ({
      ...step,
      body: Object.fromEntries(
        Object.entries(step.body).map(([k, v]) => [k, Array.isArray(v) ? v.map(swap) : swap(v)]),
      ),
    })),
  };
}

/** Walk a fixture path and send it; returns the new application's reference (from the confirmation's URL). */
export async function sendPath(app: Express, slug: string, path: JourneyPath): Promise<string> {
  const agent = await walkToCheckAnswers(app, slug, path);
  const sent = await sendApplication(agent, slug);
  if (sent.status !== 303) throw new Error(`sending ${path.name} answered ${sent.status}`);
  return sent.headers.location!.split('/').pop()!;
}
