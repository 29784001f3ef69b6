import { AGENCIES } from '../agencies';
import type { ServiceDefinition } from '../types';

const service: ServiceDefinition = {
  slug: 'apply-for-a-blue-badge',
  version: 2,
  title: 'Apply for a Blue Badge',
  summary: 'Apply for a Blue Badge for yourself or someone else to park closer to where you need to go.',
  topics: ['Benefits and disability', 'Driving and transport'],
  keywords: [
    'blue badge',
    'disabled parking',
    'disabled badge',
    'parking permit',
    'mobility',
    'PIP',
    'DLA',
    'renew blue badge',
  ],
  agency: AGENCIES.localCouncil,
  startPage: {
    description: [
      'A Blue Badge helps you park closer to where you need to go if you have a disability or health condition that affects your mobility.',
      'You can apply for yourself, or for someone else such as a child or a person you care for.',
      'In England your council may charge up to £10 for a badge.',
    ],
    youWillNeed: [
      "the badge holder's National Insurance number, if they have one",
      'details of any disability benefits they get, such as Personal Independence Payment (PIP)',
      'a description of how their condition affects their walking, if they do not get one of these benefits',
      'the registration number of the vehicle they usually travel in, if there is one',
      'a recent photo of the badge holder’s face, and a photo or scan of proof of their identity',
      'a photo or scan of the letter that shows they get a benefit, if they get one',
    ],
    timeToComplete: 'It takes around 20 minutes to complete.',
    otherWays: ['You can also ask your council for a paper application form.'],
  },
  // Applying for yourself, the questions about the badge holder are asked of you ("What is your full name?").
  askingTheSubject: (answers) => answers.whoIsApplying === 'myself',
  pages: [
    {
      id: 'who-is-applying',
      questions: [
        {
          type: 'radios',
          id: 'whoIsApplying',
          label: 'Who are you applying for?',
          summaryLabel: 'Applying for',
          name: 'who you are applying for',
          hint: 'We call the person who will use the badge the badge holder',
          options: [
            { value: 'myself', text: 'Myself' },
            {
              value: 'someone-else',
              text: 'Someone else',
              hint: 'For example, a child or a person you care for',
            },
          ],
        },
      ],
      next: {
        to: ['applicant-details', 'badge-holder-name'],
        choose: (answers) =>
          answers.whoIsApplying === 'someone-else' ? 'applicant-details' : 'badge-holder-name',
      },
    },
    {
      id: 'applicant-details',
      title: 'Your details',
      intro: ['Tell us about yourself. We will ask about the badge holder next.'],
      questions: [
        {
          type: 'text',
          id: 'applicantName',
          label: 'Your full name',
          name: 'your full name',
          autocomplete: 'name',
          spellcheck: false,
          maxLength: 100,
        },
        {
          type: 'text',
          id: 'relationshipToBadgeHolder',
          label: 'Your relationship to the badge holder',
          name: 'your relationship to the badge holder',
          hint: 'For example, parent, partner or carer',
          maxLength: 50,
          width: 20,
        },
      ],
    },
    {
      id: 'badge-holder-name',
      questions: [
        {
          type: 'text',
          id: 'badgeHolderName',
          label: "What is the badge holder's full name?",
          summaryLabel: "Badge holder's full name",
          name: "the badge holder's full name",
          toSubject: {
            label: 'What is your full name?',
            summaryLabel: 'Your full name',
            name: 'your full name',
          },
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
          label: "What is the badge holder's date of birth?",
          summaryLabel: 'Date of birth',
          name: "the badge holder's date of birth",
          toSubject: { label: 'What is your date of birth?', name: 'your date of birth' },
          hint: 'For example, 31 3 1980',
          when: 'past',
          earliest: '1900-01-01',
        },
      ],
    },
    {
      id: 'national-insurance-number',
      questions: [
        {
          type: 'national-insurance-number',
          id: 'nationalInsuranceNumber',
          label: "What is the badge holder's National Insurance number?",
          summaryLabel: 'National Insurance number',
          name: "the badge holder's National Insurance number",
          toSubject: {
            label: 'What is your National Insurance number?',
            name: 'your National Insurance number',
            hint: 'Leave this blank if you do not have one',
          },
          hint: 'Leave this blank if they do not have one, for example if they are under 16',
          optional: true,
        },
      ],
    },
    {
      id: 'badge-holder-address',
      questions: [
        {
          type: 'address',
          id: 'badgeHolderAddress',
          label: "What is the badge holder's address?",
          summaryLabel: 'Address',
          name: "the badge holder's address",
          toSubject: { label: 'What is your address?', name: 'your address' },
          hint: 'We will send the badge to this address',
        },
      ],
    },
    {
      id: 'photo',
      questions: [
        {
          type: 'file',
          id: 'badgeHolderPhoto',
          label: 'Upload a photo of the badge holder',
          summaryLabel: 'Photo',
          name: 'a photo of the badge holder',
          toSubject: {
            label: 'Upload a photo of yourself',
            name: 'a photo of yourself',
            hint: 'A recent photo of your face, like a passport photo. It must be a JPG or PNG and smaller than 10MB',
          },
          hint: 'A recent photo of their face, like a passport photo. It must be a JPG or PNG and smaller than 10MB',
          accept: ['jpg', 'png'],
          fileNoun: 'a photo',
          messages: { required: 'Select a photo' },
        },
      ],
    },
    {
      id: 'proof-of-identity',
      questions: [
        {
          type: 'file',
          id: 'proofOfIdentity',
          label: "Upload proof of the badge holder's identity",
          summaryLabel: 'Proof of identity',
          name: "proof of the badge holder's identity",
          toSubject: { label: 'Upload proof of your identity', name: 'proof of your identity' },
          hint: 'For example, a passport, driving licence or birth certificate. Each file must be a JPG, PNG or PDF and smaller than 10MB',
          accept: ['jpg', 'png', 'pdf'],
          maxFiles: 2,
          fileNoun: 'a document',
          messages: { required: 'Select a document that proves identity' },
        },
      ],
    },
    {
      id: 'benefits',
      questions: [
        {
          type: 'checkboxes',
          id: 'qualifyingBenefits',
          label: 'Does the badge holder get any of these?',
          summaryLabel: 'Benefits',
          name: 'which of these the badge holder gets',
          toSubject: {
            label: 'Do you get any of these?',
            name: 'which of these you get',
            messages: { required: "Select which of these you get, or select 'None of these'" },
          },
          hint: 'Select all that apply',
          options: [
            {
              value: 'pip-moving-around',
              text: 'Personal Independence Payment (PIP) with 8 points or more for moving around',
            },
            {
              value: 'pip-planning-journeys',
              text: 'Personal Independence Payment (PIP) with 10 points for planning and following journeys',
            },
            {
              value: 'dla-higher-rate-mobility',
              text: 'Disability Living Allowance (DLA) with the higher rate of the mobility component',
            },
            { value: 'war-pensioners-mobility', text: "War Pensioners' Mobility Supplement" },
            {
              value: 'armed-forces-compensation',
              text: 'Armed Forces Compensation Scheme lump sum, tariff levels 1 to 8',
            },
          ],
          exclusiveOption: { value: 'none', text: 'None of these' },
          messages: { required: "Select which of these the badge holder gets, or select 'None of these'" },
        },
      ],
      next: {
        to: ['walking-difficulty', 'proof-of-benefit'],
        choose: (answers) => {
          const benefits = answers.qualifyingBenefits;
          const getsBenefit = Array.isArray(benefits) && benefits.some((benefit) => benefit !== 'none');
          return getsBenefit ? 'proof-of-benefit' : 'walking-difficulty';
        },
      },
    },
    {
      id: 'proof-of-benefit',
      questions: [
        {
          type: 'file',
          id: 'proofOfBenefit',
          label: 'Upload the letter that shows the badge holder gets this benefit',
          summaryLabel: 'Proof of benefit',
          name: 'the letter that shows the badge holder gets this benefit',
          toSubject: {
            label: 'Upload the letter that shows you get this benefit',
            name: 'the letter that shows you get this benefit',
          },
          hint: 'The letter must be dated in the last 12 months. Each file must be a JPG, PNG or PDF and smaller than 10MB',
          accept: ['jpg', 'png', 'pdf'],
          maxFiles: 3,
          fileNoun: 'a file',
          messages: { required: 'Select the letter that shows the benefit' },
        },
      ],
      next: 'vehicle',
    },
    {
      id: 'walking-difficulty',
      questions: [
        {
          type: 'textarea',
          id: 'walkingDifficulty',
          label: "How does the badge holder's condition affect their walking?",
          summaryLabel: 'How their condition affects their walking',
          name: "how the badge holder's condition affects their walking",
          toSubject: {
            label: 'How does your condition affect your walking?',
            summaryLabel: 'How your condition affects your walking',
            name: 'how your condition affects your walking',
            hint: 'Include how far you can walk, how long it takes and if it causes pain or breathlessness',
          },
          hint: 'Include how far they can walk, how long it takes and if it causes pain or breathlessness',
          maxLength: 2000,
          rows: 8,
        },
      ],
    },
    {
      id: 'proof-of-condition',
      questions: [
        {
          type: 'file',
          id: 'proofOfCondition',
          label: "Upload letters about the badge holder's condition",
          summaryLabel: 'Letters about their condition',
          name: "letters about the badge holder's condition",
          toSubject: {
            label: 'Upload letters about your condition',
            summaryLabel: 'Letters about your condition',
            name: 'letters about your condition',
          },
          hint: 'For example, from a doctor, nurse or physiotherapist. Each file must be a JPG, PNG or PDF and smaller than 10MB',
          accept: ['jpg', 'png', 'pdf'],
          maxFiles: 5,
          optional: true,
        },
      ],
    },
    {
      id: 'vehicle',
      questions: [
        {
          type: 'vehicle-registration',
          id: 'vehicleRegistration',
          label: 'What is the registration number of the vehicle the badge holder usually travels in?',
          toSubject: {
            label: 'What is the registration number of the vehicle you usually travel in?',
            name: 'the vehicle registration number',
          },
          summaryLabel: 'Vehicle registration number',
          name: 'the vehicle registration number',
          hint: 'For example, AB51 ABC',
          optional: true,
        },
      ],
    },
    {
      id: 'contact-details',
      title: 'Your contact details',
      intro: ['We will use these to contact you about this application.'],
      questions: [
        {
          type: 'phone',
          id: 'contactPhone',
          label: 'Phone number',
          name: 'your phone number',
          hint: 'For international numbers include the country code',
        },
        {
          type: 'email',
          id: 'contactEmail',
          label: 'Email address',
          name: 'your email address',
          hint: 'We will send updates about the application to this address',
        },
      ],
    },
  ],
  checkAnswers: {
    sections: [
      { title: 'Who is applying', pages: ['who-is-applying', 'applicant-details'] },
      {
        title: 'Badge holder',
        pages: [
          'badge-holder-name',
          'date-of-birth',
          'national-insurance-number',
          'badge-holder-address',
          'photo',
          'proof-of-identity',
        ],
      },
      {
        title: 'Eligibility',
        pages: ['benefits', 'proof-of-benefit', 'walking-difficulty', 'proof-of-condition'],
      },
      { title: 'Vehicle', pages: ['vehicle'] },
      { title: 'Your contact details', pages: ['contact-details'] },
    ],
  },
  declaration: {
    text: [
      'I confirm that the information I have given is correct and complete to the best of my knowledge.',
      'I understand that giving false information could mean the badge is refused or taken away, and that I could be prosecuted.',
    ],
    submitLabel: 'Accept and send',
  },
  processingTargetWorkingDays: 60,
  afterApproval: [
    "We will post the badge to the badge holder's address within 10 working days.",
    'Display it on the dashboard whenever you use it to park. It lasts up to 3 years: we will remind you before it runs out.',
  ],
  whatHappensNext: [
    'We will check the photo and documents you sent. If we need anything else, we will email you.',
    'We may contact you for more information or ask the badge holder to come to a mobility assessment.',
    "If the application is approved, we will post the badge to the badge holder's address.",
  ],
  statusCheckQuestions: ['contactEmail', 'contactPhone'],
};

export default service;
