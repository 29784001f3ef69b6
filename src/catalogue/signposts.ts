// Common services that people look for here but that live elsewhere on GOV.UK. A search that names one of them
// shows a link to it with the results (or instead of "no results"), so nobody is left at a dead end.

export type Signpost = Readonly<{ title: string; url: string; summary: string }>;

const SIGNPOSTS: readonly (Signpost & { words: readonly string[] })[] = [
  {
    title: 'Apply for or renew a British passport',
    url: 'https://www.gov.uk/apply-renew-passport',
    summary: 'Apply online for a first adult or child passport, or renew one.',
    words: ['passport', 'passports'],
  },
  {
    title: 'Apply for your first provisional driving licence',
    url: 'https://www.gov.uk/apply-first-provisional-driving-licence',
    summary: 'Apply to DVLA for a provisional licence to learn to drive.',
    words: ['driving licence', 'provisional', 'learner'],
  },
  {
    title: 'Tax your vehicle',
    url: 'https://www.gov.uk/vehicle-tax',
    summary: 'Pay vehicle tax (road tax) with DVLA.',
    words: ['car tax', 'road tax', 'vehicle tax', 'ved'],
  },
  {
    title: 'Check the MOT history of a vehicle',
    url: 'https://www.gov.uk/check-mot-history',
    summary: 'See a vehicle’s MOT test results and when its next MOT is due.',
    words: ['mot'],
  },
  {
    title: 'Universal Credit',
    url: 'https://www.gov.uk/universal-credit',
    summary: 'Check if you can get Universal Credit and how to apply.',
    words: ['universal credit', 'benefits'],
  },
  {
    title: 'Pay your Council Tax',
    url: 'https://www.gov.uk/pay-council-tax',
    summary: 'Find your local council’s website to pay your Council Tax.',
    words: ['council tax'],
  },
  {
    title: 'Check if you need a UK visa',
    url: 'https://www.gov.uk/check-uk-visa',
    summary: 'Find out whether you need a visa to come to the UK.',
    words: ['visa', 'visas'],
  },
  {
    title: 'The State Pension',
    url: 'https://www.gov.uk/state-pension',
    summary: 'How much you could get, and when you can claim it.',
    words: ['pension', 'state pension'],
  },
];

/** The signposts whose words appear in the query as whole words, in the order listed. */
export function signpostsFor(query: string): readonly Signpost[] {
  const text = ` ${query
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
  return SIGNPOSTS.filter((s) => s.words.some((w) => text.includes(` ${w} `))).map(
    ({ title, url, summary }) => ({ title, url, summary }),
  );
}
