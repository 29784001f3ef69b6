import { createSecretBox } from '../../src/crypto/secret-box';
import type { RenderSettings } from '../../src/notifications/outbox';
import { createStatusLinkSigner } from '../../src/notifications/status-link';
import { DRAFT_LINK_PURPOSE } from '../../src/drafts/draft-link';
import { SIGN_IN_LINK_PURPOSE } from '../../src/sign-in/sign-in-link';

const SECRET = 'a test secret of at least thirty-two characters';

/** What rendering an email needs, for tests that render messages without an app. */
export const testRenderSettings: RenderSettings = {
  baseUrl: 'https://portal.example.gov.uk',
  organisationName: 'GOV.UK',
  statusLinks: createStatusLinkSigner(SECRET, 28),
  statusLinkDays: 28,
  draftLinks: createSecretBox(SECRET, DRAFT_LINK_PURPOSE),
  signInLinks: createSecretBox(SECRET, SIGN_IN_LINK_PURPOSE),
};
