// Initialise every govuk-frontend component on the page. Loaded as a same-origin module so that the
// Content-Security-Policy needs no inline script beyond the template's nonce-carrying one.
import { initAll } from './govuk-frontend.min.js';

initAll();
