// WCAG 1.3.5 (identify input purpose): fields that collect the user's OWN personal data must say what they
// are with an autocomplete token. axe's autocomplete-valid only checks that tokens are valid, not present, so
// this map states the token each personal-data field must carry, page by page.
//
// Deliberately without a token (1.3.5 is about data of the person using the page):
//  - data about someone else: the Blue Badge holder's name and date of birth (the applicant may be applying
//    for another person), a staff member's full name and email on the "Add a staff account" form;
//  - /check-status "Email address or phone number": one field, two purposes, and no single token fits both.

const BDAY = {
  'dateOfBirth-day': 'bday-day',
  'dateOfBirth-month': 'bday-month',
  'dateOfBirth-year': 'bday-year',
};

/** [page path pattern, { field id: token }] */
export const EXPECTED_TOKENS: readonly (readonly [RegExp, Readonly<Record<string, string>>])[] = [
  [/^\/services\/apply-for-a-blue-badge\/applicant-details$/, { applicantName: 'name' }],
  [/^\/services\/apply-for-a-blue-badge\/contact-details$/, { contactPhone: 'tel', contactEmail: 'email' }],
  [/^\/services\/apply-for-a-rod-fishing-licence\/licence-holder-name$/, { holderName: 'name' }],
  [/^\/services\/apply-for-a-rod-fishing-licence\/date-of-birth$/, BDAY],
  [
    /^\/services\/apply-for-a-rod-fishing-licence\/licence-delivery$/,
    { licenceEmail: 'email', licenceMobile: 'tel' },
  ],
  [/^\/services\/apply-for-a-rod-fishing-licence\/contact-email$/, { contactEmail: 'email' }],
  [/^\/services\/file-a-self-assessment-tax-return\/contact-email$/, { contactEmail: 'email' }],
  [/^\/services\/register-a-vehicle\/keeper-name$/, { keeperName: 'name' }],
  [/^\/services\/register-a-vehicle\/company-details$/, { companyName: 'organization' }],
  [/^\/services\/register-a-vehicle\/contact-email$/, { contactEmail: 'email' }],
  [/^\/services\/register-to-vote\/date-of-birth$/, BDAY],
  [/^\/services\/register-to-vote\/full-name$/, { fullName: 'name' }],
  [/^\/services\/register-to-vote\/contact-details$/, { contactEmail: 'email', contactPhone: 'tel' }],
  [/^\/services\/report-a-pothole\/contact-details$/, { contactEmail: 'email', contactPhone: 'tel' }],
  [/^\/check-status\/lost-reference$/, { email: 'email' }],
  [/^\/services\/[^/]+\/save$/, { email: 'email' }],
  [/^\/continue$/, { email: 'email' }],
  [/^\/your-applications\/sign-in$/, { email: 'email' }],
  [/^\/staff\/sign-in$/, { email: 'username', password: 'current-password' }],
  [/^\/staff\/sign-in\/code$/, { code: 'one-time-code' }],
  [/^\/staff\/sign-in\/recovery-code$/, { recoveryCode: 'one-time-code' }],
  [/^\/staff\/set-up-authenticator$/, { code: 'one-time-code' }],
  [/^\/staff\/users\/\d+\/reset-authenticator$/, { password: 'current-password' }],
  [/^\/staff\/users\/\d+\/reset-password$/, { password: 'current-password' }],
  [
    /^\/staff\/account\/password$/,
    { currentPassword: 'current-password', newPassword: 'new-password', confirmPassword: 'new-password' },
  ],
  [/^\/staff\/new-password$/, { newPassword: 'new-password', confirmPassword: 'new-password' }],
];

/** Every address question renders these parts (src/questions/address.ts): the user's own or not, they are addresses. */
const ADDRESS_PARTS: Readonly<Record<string, string>> = {
  line1: 'address-line1',
  line2: 'address-line2',
  town: 'address-level2',
  county: 'address-level1',
  postcode: 'postal-code',
};

/** Email and phone inputs that are not the user's own, with the reason. */
const NOT_THE_USERS_OWN: readonly (readonly [RegExp, string])[] = [[/^\/staff\/users\/new$/, 'email']];

export type FieldInfo = Readonly<{ id: string; name: string; type: string; autocomplete: string | null }>;

const seen = new Set<string>();
/** Expected fields never met by the suite (so a stale entry, or a page the suite skipped, shows up). */
export function unseenExpectations(pathPrefix: string): string[] {
  const missing: string[] = [];
  for (const [pattern, fields] of EXPECTED_TOKENS) {
    if (!pattern.source.startsWith(`^${pathPrefix.replace(/\//g, '\\/')}`)) continue;
    for (const id of Object.keys(fields))
      if (!seen.has(`${pattern.source}#${id}`)) missing.push(`${pattern} #${id}`);
  }
  return missing;
}

/** The autocomplete problems of one page's fields (an empty list when there are none). */
export function autocompleteProblems(urlPath: string, fields: readonly FieldInfo[]): string[] {
  const problems: string[] = [];
  const expected: Record<string, string> = {};
  for (const [pattern, tokens] of EXPECTED_TOKENS) {
    if (!pattern.test(urlPath)) continue;
    for (const [id, token] of Object.entries(tokens)) {
      expected[id] = token;
      if (fields.some((f) => f.id === id)) seen.add(`${pattern.source}#${id}`);
    }
  }
  for (const field of fields) {
    const part = /-(line1|line2|town|county|postcode)$/.exec(field.id)?.[1];
    const want = expected[field.id] ?? (part ? ADDRESS_PARTS[part] : undefined);
    const has = field.autocomplete?.trim().toLowerCase() ?? '';
    if (want !== undefined) {
      if (has !== want) problems.push(`#${field.id} should have autocomplete="${want}", has "${has}"`);
      continue;
    }
    if (
      (field.type === 'email' || field.type === 'tel') &&
      !NOT_THE_USERS_OWN.some(([p]) => p.test(urlPath))
    ) {
      problems.push(
        `#${field.id} is a ${field.type} field with no expected token: add it to EXPECTED_TOKENS (or to NOT_THE_USERS_OWN with the reason)`,
      );
    }
  }
  return problems;
}
