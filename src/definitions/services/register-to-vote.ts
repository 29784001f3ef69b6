import { AGENCIES } from '../agencies';
import type { ServiceDefinition } from '../types';

const service: ServiceDefinition = {
  slug: 'register-to-vote',
  version: 1,
  title: 'Register to vote',
  summary: 'Get on the electoral register so you can vote in elections and referendums.',
  topics: ['Voting and citizenship'],
  keywords: [
    'electoral roll',
    'electoral register',
    'vote',
    'voting',
    'election',
    'open register',
    'polling card',
  ],
  agency: AGENCIES.electoralRegistration,
  startPage: {
    description: [
      'Register to vote so you can vote in UK elections and referendums.',
      'You can register if you are 16 or over, or 14 or over in Scotland and Wales. You can only vote once you are old enough.',
      'You only need to register once, and again if you change your name, address or nationality.',
    ],
    youWillNeed: [
      'your National Insurance number, if you have one',
      'your previous name, if you have changed your name in the last 12 months',
      'your previous address, if you have moved in the last 12 months',
    ],
    timeToComplete: 'It takes around 5 minutes to complete.',
    otherWays: [
      'You can also register by post using a paper form from your local Electoral Registration Office.',
    ],
  },
  pages: [
    {
      id: 'nationality',
      questions: [
        {
          type: 'checkboxes',
          id: 'nationality',
          label: 'What is your nationality?',
          summaryLabel: 'Nationality',
          name: 'your nationality',
          hint: 'Select all that apply',
          options: [
            {
              value: 'british',
              text: 'British',
              hint: 'Including English, Scottish, Welsh and Northern Irish',
            },
            { value: 'irish', text: 'Irish' },
            { value: 'commonwealth', text: 'Citizen of a Commonwealth country' },
            { value: 'eu', text: 'Citizen of a European Union country' },
          ],
          exclusiveOption: { value: 'other', text: 'Citizen of a different country' },
        },
      ],
      next: {
        to: ['other-nationality', 'date-of-birth'],
        choose: (answers) => {
          const nationality = answers.nationality;
          return Array.isArray(nationality) && nationality.includes('other')
            ? 'other-nationality'
            : 'date-of-birth';
        },
      },
    },
    {
      id: 'other-nationality',
      questions: [
        {
          type: 'text',
          id: 'otherNationality',
          label: 'Which country are you a citizen of?',
          summaryLabel: 'Country of citizenship',
          name: 'the country you are a citizen of',
          hint: 'If you are a citizen of more than one country, enter them all',
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
          label: 'What is your date of birth?',
          summaryLabel: 'Date of birth',
          name: 'your date of birth',
          hint: 'For example, 31 3 1980',
          when: 'past',
          earliest: '1900-01-01',
          autocomplete: 'bday',
        },
      ],
    },
    {
      id: 'full-name',
      questions: [
        {
          type: 'text',
          id: 'fullName',
          label: 'What is your full name?',
          summaryLabel: 'Full name',
          name: 'your full name',
          autocomplete: 'name',
          spellcheck: false,
          maxLength: 100,
        },
      ],
    },
    {
      id: 'name-change',
      questions: [
        {
          type: 'yes-no',
          id: 'changedName',
          label: 'Have you changed your name in the last 12 months?',
          summaryLabel: 'Changed name in the last 12 months',
          name: 'whether you have changed your name in the last 12 months',
          hint: 'For example, after getting married',
          messages: { required: 'Select yes if you have changed your name in the last 12 months' },
        },
      ],
      next: {
        to: ['previous-name', 'national-insurance-number'],
        choose: (answers) => (answers.changedName === 'yes' ? 'previous-name' : 'national-insurance-number'),
      },
    },
    {
      id: 'previous-name',
      questions: [
        {
          type: 'text',
          id: 'previousName',
          label: 'What was your previous full name?',
          summaryLabel: 'Previous name',
          name: 'your previous full name',
          spellcheck: false,
          maxLength: 100,
        },
      ],
    },
    {
      id: 'national-insurance-number',
      questions: [
        {
          type: 'radios',
          id: 'hasNationalInsuranceNumber',
          label: 'Do you have a National Insurance number?',
          summaryLabel: 'Has a National Insurance number',
          name: 'whether you have a National Insurance number',
          hint: "It's on your National Insurance card, payslip or P60",
          options: [
            {
              value: 'yes',
              text: 'Yes',
              conditional: {
                type: 'national-insurance-number',
                id: 'nationalInsuranceNumber',
                label: 'National Insurance number',
                name: 'your National Insurance number',
                hint: 'For example, QQ 12 34 56 C',
              },
            },
            {
              value: 'no',
              text: 'No, I do not have one',
              conditional: {
                type: 'textarea',
                id: 'noNationalInsuranceNumberReason',
                label: 'Why do you not have a National Insurance number?',
                summaryLabel: 'Reason for no National Insurance number',
                name: 'why you do not have a National Insurance number',
                hint: 'We may ask you for other proof of your identity',
                maxLength: 500,
                rows: 3,
              },
            },
          ],
        },
      ],
    },
    {
      id: 'address',
      questions: [
        {
          type: 'address',
          id: 'homeAddress',
          label: 'What is your address?',
          summaryLabel: 'Address',
          name: 'your address',
          hint: 'This must be the address where you live',
        },
      ],
    },
    {
      id: 'moved-recently',
      questions: [
        {
          type: 'yes-no',
          id: 'movedRecently',
          label: 'Have you moved to this address in the last 12 months?',
          summaryLabel: 'Moved in the last 12 months',
          name: 'whether you have moved to this address in the last 12 months',
          messages: { required: 'Select yes if you have moved to this address in the last 12 months' },
        },
      ],
      next: {
        to: ['previous-address', 'open-register'],
        choose: (answers) => (answers.movedRecently === 'yes' ? 'previous-address' : 'open-register'),
      },
    },
    {
      id: 'previous-address',
      questions: [
        {
          type: 'address',
          id: 'previousAddress',
          label: 'What was your previous address?',
          summaryLabel: 'Previous address',
          name: 'your previous address',
        },
      ],
    },
    {
      id: 'open-register',
      questions: [
        {
          type: 'yes-no',
          id: 'openRegister',
          label: 'Do you want your name and address to be in the open register?',
          summaryLabel: 'Included in the open register',
          name: 'whether you want to be in the open register',
          hint: 'Anyone can buy the open register and use it, for example for marketing',
          messages: { required: 'Select yes if you want your name and address to be in the open register' },
        },
      ],
    },
    {
      id: 'contact-details',
      title: 'Contact details',
      intro: ['We will only use these to contact you about your registration.'],
      questions: [
        {
          type: 'email',
          id: 'contactEmail',
          label: 'Email address',
          name: 'your email address',
        },
        {
          type: 'phone',
          id: 'contactPhone',
          label: 'Phone number',
          name: 'your phone number',
          hint: 'For international numbers include the country code',
          optional: true,
        },
      ],
    },
  ],
  checkAnswers: {
    sections: [
      { title: 'Nationality and age', pages: ['nationality', 'other-nationality', 'date-of-birth'] },
      {
        title: 'Your details',
        pages: ['full-name', 'name-change', 'previous-name', 'national-insurance-number'],
      },
      { title: 'Your address', pages: ['address', 'moved-recently', 'previous-address'] },
      { title: 'Open register', pages: ['open-register'] },
      { title: 'Contact details', pages: ['contact-details'] },
    ],
  },
  declaration: {
    text: [
      'I confirm that the information I have given is true.',
      'I understand that it is an offence to give false information to an Electoral Registration Officer.',
    ],
    submitLabel: 'Send your application',
  },
  processingTargetWorkingDays: 15,
  // A registration has to be settled before the register closes for an election.
  reminderAfterWorkingDays: 5,
  afterApproval: [
    'You are on the electoral register. We will send you a poll card before each election you can vote in.',
  ],
  whatHappensNext: [
    'We will check your details against government records.',
    'We may contact you if we need more proof of your identity.',
    'We will write to you to tell you if you have been added to the electoral register.',
  ],
  statusCheckQuestions: ['contactEmail', 'contactPhone'],
};

export default service;
