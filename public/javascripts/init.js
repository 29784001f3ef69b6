// Initialise every govuk-frontend component on the page, and the portal's own session-timeout warning. Loaded
// as a same-origin module so that the Content-Security-Policy needs no inline script beyond the template's
// nonce-carrying one.
import { initAll } from './govuk-frontend.min.js';
import { initTimeoutWarning } from './timeout-warning.js';

initAll();
initTimeoutWarning(document.getElementById('timeout-warning'));
