import type { Agency } from './types';

// The organisations that process services on this portal. Contact details are placeholders on reserved
// example domains and Ofcom drama numbers, as this is demo content.
export const AGENCIES = {
  vehicleLicensing: {
    id: 'vehicle-licensing-agency',
    name: 'Driver and Vehicle Licensing Agency',
    inSentence: 'the Driver and Vehicle Licensing Agency (DVLA)',
    contact: { email: 'vehicles@example.gov.uk', phone: '0300 790 6802' },
  },
  taxAuthority: {
    id: 'tax-authority',
    name: 'HM Revenue and Customs',
    inSentence: 'HM Revenue and Customs (HMRC)',
    contact: { email: 'self-assessment@example.gov.uk', phone: '0300 200 3310' },
  },
  environmentAgency: {
    id: 'environment-agency',
    name: 'Environment Agency',
    inSentence: 'the Environment Agency',
    contact: { email: 'licensing@example.gov.uk', phone: '0344 800 5386' },
  },
  electoralRegistration: {
    id: 'electoral-registration',
    name: 'Electoral Registration Office',
    inSentence: 'your Electoral Registration Office',
    contact: { email: 'elections@example.gov.uk', phone: '020 7946 0123' },
  },
  localCouncil: {
    id: 'local-council',
    name: 'Your local council',
    // The portal does not know which council covers an address, so it does not pretend to.
    inSentence: 'your local council',
    contact: { email: 'council@example.gov.uk', phone: '01632 960 001' },
  },
} as const satisfies Record<string, Agency>;
