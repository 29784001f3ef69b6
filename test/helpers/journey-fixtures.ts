import fs from 'node:fs';
import path from 'node:path';
import type { JourneyPath } from '../fixtures/journeys/types';

// The journey fixtures: one file per service under test/fixtures/journeys, named by its slug.

export const FIXTURES_DIR = path.join(__dirname, '../fixtures/journeys');

/** The fixture paths of one service. */
export const fixtureFor = (slug: string): JourneyPath[] =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- one fixture file per service
  (require(path.join(FIXTURES_DIR, `${slug}.ts`)) as { default: JourneyPath[] }).default;

/** Every fixture path of every service. */
export const allJourneys = (): { slug: string; journey: JourneyPath }[] =>
  fs
    .readdirSync(FIXTURES_DIR)
    .filter((f) => f !== 'types.ts')
    .flatMap((f) => {
      const slug = f.replace(/\.ts$/, '');
      return fixtureFor(slug).map((journey) => ({ slug, journey }));
    });
