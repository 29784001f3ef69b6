import { AGENCIES } from '../agencies';
import type { Answers, ServiceDefinition } from '../types';

/** Licence holders this age or older on the start date get the senior concession. */
const SENIOR_AGE = 66;
/** Licences for 13 to 16 year olds are free, so juniors are not asked about disability concessions. */
const JUNIOR_MAX_AGE = 16;

/** Whole years between two 'YYYY-MM-DD' dates, or undefined if either is not a date. */
function ageOn(dateOfBirth: string, on: string): number | undefined {
  const parse = (date: string) => /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)?.slice(1).map(Number);
  const birth = parse(dateOfBirth);
  const day = parse(on);
  if (!birth || !day) return undefined;
  const [birthYear = 0, birthMonth = 0, birthDay = 0] = birth;
  const [year = 0, month = 0, dayOfMonth = 0] = day;
  const hadBirthday = month > birthMonth || (month === birthMonth && dayOfMonth >= birthDay);
  return year - birthYear - (hadBirthday ? 0 : 1);
}

/** Juniors and seniors already get a concession, so only ask about disability for everyone else. */
function afterDateOfBirth(answers: Answers): string {
  const dateOfBirth = answers.dateOfBirth;
  const startDate =
    typeof answers.startDate === 'string' ? answers.startDate : new Date().toISOString().slice(0, 10);
  const age = typeof dateOfBirth === 'string' ? ageOn(dateOfBirth, startDate) : undefined;
  if (age !== undefined && (age >= SENIOR_AGE || age <= JUNIOR_MAX_AGE)) return 'holder-address';
  return 'disability-concession';
}

const service: ServiceDefinition = {
  slug: 'apply-for-a-rod-fishing-licence',
  version: 2,
  title: 'Apply for a rod fishing licence',
  summary: 'Get a rod fishing licence to fish for salmon, trout, coarse fish or eels in England.',
  topics: ['Environment and countryside'],
  keywords: [
    'fishing',
    'rod licence',
    'angling',
    'fishing permit',
    'coarse fishing',
    'trout',
    'salmon',
    'carp',
  ],
  agency: AGENCIES.environmentAgency,
  startPage: {
    description: [
      'You need a rod fishing licence to fish for salmon, trout, freshwater fish, smelt or eel with a rod and line in England.',
      'Children under 13 do not need a licence. Licences for 13 to 16 year olds are free.',
      'You can get a discount if you are 66 or over, or if you have a Blue Badge or get Personal Independence Payment (PIP) or Disability Living Allowance (DLA).',
    ],
    youWillNeed: [
      "the licence holder's date of birth and address",
      'their Blue Badge number or National Insurance number, if you are claiming a disability discount',
      'an email address or UK mobile number, if you want the licence sent to you electronically',
    ],
    timeToComplete: 'It takes around 5 minutes to complete.',
    otherWays: ['You can also buy a licence by phone from the Environment Agency.'],
  },
  pages: [
    {
      id: 'licence-type',
      questions: [
        {
          type: 'radios',
          id: 'licenceType',
          label: 'Which licence do you need?',
          summaryLabel: 'Licence type',
          name: 'the licence type',
          options: [
            {
              value: 'trout-coarse-2-rod',
              text: 'Trout and coarse, up to 2 rods',
              hint: 'For non-migratory trout and coarse fish such as carp, pike and roach',
            },
            {
              value: 'trout-coarse-3-rod',
              text: 'Trout and coarse, up to 3 rods',
              hint: 'Only available as a 12-month licence',
            },
            {
              value: 'salmon-sea-trout',
              text: 'Salmon and sea trout',
              hint: 'Also covers trout and coarse fish',
            },
          ],
        },
      ],
      next: {
        to: ['licence-length', 'start-date'],
        choose: (answers) => (answers.licenceType === 'trout-coarse-3-rod' ? 'start-date' : 'licence-length'),
      },
    },
    {
      id: 'licence-length',
      questions: [
        {
          type: 'radios',
          id: 'licenceLength',
          label: 'How long do you want the licence for?',
          summaryLabel: 'Licence length',
          name: 'how long you want the licence for',
          options: [
            { value: '1-day', text: '1 day' },
            { value: '8-days', text: '8 days', hint: '8 days in a row' },
            { value: '12-months', text: '12 months' },
          ],
        },
      ],
    },
    {
      id: 'start-date',
      questions: [
        {
          type: 'date',
          id: 'startDate',
          label: 'When do you want the licence to start?',
          summaryLabel: 'Start date',
          name: 'the date you want the licence to start',
          hint: 'For example, 27 4 2027',
          when: 'today-or-future',
        },
      ],
    },
    {
      id: 'licence-holder-name',
      questions: [
        {
          type: 'text',
          id: 'holderName',
          label: "What is the licence holder's full name?",
          summaryLabel: 'Full name',
          name: "the licence holder's full name",
          hint: 'The licence can only be used by the person named on it',
          autocomplete: 'name',
          spellcheck: false,
          maxLength: 100,
        },
      ],
    },
    {
      id: 'date-of-birth',
      questions: [
        {
          type: 'date',
          id: 'dateOfBirth',
          label: "What is the licence holder's date of birth?",
          summaryLabel: 'Date of birth',
          name: "the licence holder's date of birth",
          hint: 'For example, 31 3 1980',
          when: 'past',
          earliest: '1900-01-01',
          autocomplete: 'bday',
        },
      ],
      next: { to: ['disability-concession', 'holder-address'], choose: afterDateOfBirth },
    },
    {
      id: 'disability-concession',
      questions: [
        {
          type: 'radios',
          id: 'disabilityConcession',
          label: 'Does the licence holder have a Blue Badge or get PIP or DLA?',
          summaryLabel: 'Disability concession',
          name: 'whether the licence holder has a Blue Badge or gets PIP or DLA',
          hint: 'If they do, they can get a discounted licence',
          options: [
            {
              value: 'blue-badge',
              text: 'Blue Badge',
              conditional: {
                type: 'text',
                id: 'blueBadgeNumber',
                label: 'Blue Badge number',
                name: 'the Blue Badge number',
                hint: 'This is on the front of the badge',
                maxLength: 20,
                spellcheck: false,
                width: 20,
              },
            },
            {
              value: 'pip-or-dla',
              text: 'Personal Independence Payment (PIP) or Disability Living Allowance (DLA)',
              conditional: {
                type: 'national-insurance-number',
                id: 'concessionNationalInsuranceNumber',
                label: 'National Insurance number',
                name: 'their National Insurance number',
                hint: 'We use this to check they get PIP or DLA, for example QQ 12 34 56 C',
              },
            },
            { value: 'none', text: 'No' },
          ],
        },
      ],
    },
    {
      id: 'holder-address',
      questions: [
        {
          type: 'address',
          id: 'holderAddress',
          label: "What is the licence holder's address?",
          summaryLabel: 'Address',
          name: "the licence holder's address",
        },
      ],
    },
    {
      id: 'licence-delivery',
      questions: [
        {
          type: 'radios',
          id: 'licenceDelivery',
          label: 'How would you like to get the licence?',
          summaryLabel: 'How to get the licence',
          name: 'how you would like to get the licence',
          hint: 'You must be able to show the licence number if a water bailiff asks for it',
          options: [
            {
              value: 'email',
              text: 'By email',
              conditional: {
                type: 'email',
                id: 'licenceEmail',
                label: 'Email address',
                name: 'the email address',
              },
            },
            {
              value: 'text',
              text: 'By text message',
              conditional: {
                type: 'phone',
                kind: 'uk-mobile',
                id: 'licenceMobile',
                label: 'UK mobile number',
                name: 'the mobile number',
              },
            },
            { value: 'post', text: 'By post', hint: "We will post it to the licence holder's address" },
          ],
        },
      ],
    },
    {
      id: 'contact-email',
      questions: [
        {
          type: 'email',
          id: 'contactEmail',
          label: 'What is your email address?',
          summaryLabel: 'Your email address',
          name: 'your email address',
          hint: 'We will use this to send you updates about your application. You will also need it to check its progress online',
        },
      ],
    },
  ],
  checkAnswers: {
    sections: [
      { title: 'Licence', pages: ['licence-type', 'licence-length', 'start-date'] },
      {
        title: 'Licence holder',
        pages: ['licence-holder-name', 'date-of-birth', 'disability-concession', 'holder-address'],
      },
      { title: 'Getting the licence', pages: ['licence-delivery'] },
      { title: 'Your contact details', pages: ['contact-email'] },
    ],
  },
  declaration: {
    text: [
      'I confirm that the information I have given is correct.',
      'I understand that the licence can only be used by the person named on it.',
      'I understand that claiming a discount the licence holder is not entitled to is an offence.',
    ],
    submitLabel: 'Accept and send',
  },
  processingTargetWorkingDays: 2,
  afterApproval: [
    'Your licence is valid from the start date you chose. Carry it, on paper or on your phone, whenever you fish.',
  ],
  whatHappensNext: [
    'We will check the application and send the licence number.',
    'The licence is valid from the start date you chose. Always carry the licence number when you go fishing.',
    'You also need permission from whoever owns the fishing rights to the water, for example a fishery or an angling club.',
  ],
  statusCheckQuestions: ['contactEmail'],
};

export default service;
