import { AGENCIES } from '../agencies';
import type { ServiceDefinition } from '../types';

const service: ServiceDefinition = {
  slug: 'register-a-vehicle',
  version: 2,
  title: 'Register a vehicle',
  summary: 'Register a new or imported vehicle so it can be taxed and used on UK roads.',
  topics: ['Driving and transport'],
  keywords: [
    'car',
    'van',
    'motorbike',
    'V5C',
    'logbook',
    'V55',
    'new vehicle',
    'imported vehicle',
    'first registration',
  ],
  agency: AGENCIES.vehicleLicensing,
  startPage: {
    description: [
      'Use this service to register a vehicle in the UK for the first time. This includes new vehicles and used vehicles imported from another country.',
      'You cannot use this service to change the keeper of a vehicle that is already registered in the UK.',
      'You must not use the vehicle on a public road until it is registered, taxed and insured.',
    ],
    youWillNeed: [
      'the vehicle identification number (VIN)',
      'the date the vehicle was first registered, in the UK or abroad',
      'the engine size, unless the vehicle is fully electric',
      'the name and address of the person or company who will be the registered keeper',
      'the company registration number, if a company will be the registered keeper',
      'an email address',
    ],
    timeToComplete: 'It takes around 10 minutes to complete.',
    otherWays: [
      'You can also apply by post using form V55/4 for a new vehicle or form V55/5 for a used vehicle.',
    ],
  },
  pages: [
    {
      id: 'vehicle-identification-number',
      questions: [
        {
          type: 'vin',
          id: 'vin',
          label: 'What is the vehicle identification number (VIN)?',
          summaryLabel: 'Vehicle identification number (VIN)',
          name: 'the vehicle identification number',
          hint: 'This is 17 characters and is usually on a plate at the base of the windscreen or under the bonnet',
        },
      ],
    },
    {
      id: 'make-and-model',
      title: "What is the vehicle's make and model?",
      questions: [
        {
          type: 'text',
          id: 'make',
          label: 'Make',
          name: "the vehicle's make",
          hint: 'For example, Ford or Volkswagen',
          maxLength: 50,
          width: 20,
        },
        {
          type: 'text',
          id: 'model',
          label: 'Model',
          name: "the vehicle's model",
          hint: 'For example, Focus or Golf',
          maxLength: 50,
          width: 20,
        },
      ],
    },
    {
      id: 'first-registration',
      questions: [
        {
          type: 'date',
          id: 'firstRegistrationDate',
          label: 'When was the vehicle first registered?',
          summaryLabel: 'Date of first registration',
          name: 'the date the vehicle was first registered',
          hint: 'This is the date it was first registered in any country, for example 27 3 2019',
          when: 'past',
          earliest: '1885-01-01',
        },
      ],
    },
    {
      id: 'fuel-type',
      questions: [
        {
          type: 'radios',
          id: 'fuelType',
          label: 'What fuel does the vehicle use?',
          summaryLabel: 'Fuel type',
          name: 'the fuel type',
          options: [
            { value: 'petrol', text: 'Petrol' },
            { value: 'diesel', text: 'Diesel' },
            { value: 'electric', text: 'Electric', hint: 'Powered only by a battery' },
            {
              value: 'hybrid-electric',
              text: 'Hybrid electric',
              hint: 'Including plug-in hybrids',
            },
            {
              value: 'other',
              text: 'Other',
              conditional: {
                type: 'text',
                id: 'otherFuelType',
                label: 'What fuel does it use?',
                summaryLabel: 'Other fuel type',
                name: 'the fuel it uses',
                hint: 'For example, liquefied petroleum gas (LPG) or hydrogen',
                maxLength: 50,
                width: 20,
              },
            },
          ],
        },
      ],
      next: {
        to: ['engine-size', 'used-import'],
        choose: (answers) => (answers.fuelType === 'electric' ? 'used-import' : 'engine-size'),
      },
    },
    {
      id: 'engine-size',
      questions: [
        {
          type: 'number',
          id: 'engineSize',
          label: 'What is the engine size?',
          summaryLabel: 'Engine size',
          name: 'the engine size',
          hint: 'This is the cylinder capacity in cubic centimetres (cc), for example 1598',
          min: 1,
          max: 10000,
          suffix: 'cc',
          unit: 'cc',
          example: 1598,
          width: 5,
        },
      ],
    },
    {
      id: 'used-import',
      questions: [
        {
          type: 'yes-no',
          id: 'usedImport',
          label: 'Is the vehicle a used import?',
          summaryLabel: 'Used import',
          name: 'whether the vehicle is a used import',
          hint: 'A used import was registered and driven in another country before it came to the UK',
          messages: { required: 'Select yes if the vehicle is a used import' },
        },
      ],
      next: {
        to: ['import-country', 'keeper-type'],
        choose: (answers) => (answers.usedImport === 'yes' ? 'import-country' : 'keeper-type'),
      },
    },
    {
      id: 'import-country',
      questions: [
        {
          type: 'text',
          id: 'importCountry',
          label: 'Which country was the vehicle imported from?',
          summaryLabel: 'Imported from',
          name: 'the country the vehicle was imported from',
          hint: 'This is the country where it was last registered',
          maxLength: 60,
          width: 20,
        },
      ],
    },
    {
      id: 'import-documents',
      questions: [
        {
          type: 'file',
          id: 'importDocuments',
          label: "Upload the vehicle's foreign registration document",
          summaryLabel: 'Foreign registration document',
          name: "the vehicle's foreign registration document",
          hint: 'A scan or photo of every page, and of any certificate of conformity. Each file must be a PDF, JPG or PNG and smaller than 10MB',
          accept: ['pdf', 'jpg', 'png'],
          maxFiles: 4,
          fileNoun: 'a document',
          messages: { required: "Select the vehicle's foreign registration document" },
        },
      ],
    },
    {
      id: 'keeper-type',
      questions: [
        {
          type: 'radios',
          id: 'keeperType',
          label: 'Who will be the registered keeper?',
          summaryLabel: 'Registered keeper',
          name: 'who will be the registered keeper',
          hint: 'The registered keeper is responsible for the vehicle and may not be its legal owner',
          options: [
            { value: 'individual', text: 'An individual' },
            { value: 'company', text: 'A company' },
          ],
        },
      ],
      next: {
        to: ['keeper-name', 'company-details'],
        choose: (answers) => (answers.keeperType === 'company' ? 'company-details' : 'keeper-name'),
      },
    },
    {
      id: 'keeper-name',
      questions: [
        {
          type: 'text',
          id: 'keeperName',
          label: "What is the registered keeper's full name?",
          summaryLabel: "Keeper's full name",
          name: "the registered keeper's full name",
          autocomplete: 'name',
          spellcheck: false,
          maxLength: 100,
        },
      ],
      next: 'keeper-address',
    },
    {
      id: 'company-details',
      title: 'Company details',
      questions: [
        {
          type: 'text',
          id: 'companyName',
          label: 'Company name',
          name: 'the company name',
          autocomplete: 'organization',
          maxLength: 160,
        },
        {
          type: 'text',
          id: 'companyNumber',
          label: 'Company registration number',
          name: 'the company registration number',
          hint: 'This is 8 characters, for example 01234567 or SC123456',
          minLength: 8,
          maxLength: 8,
          spellcheck: false,
          width: 10,
        },
      ],
    },
    {
      id: 'keeper-address',
      questions: [
        {
          type: 'address',
          id: 'keeperAddress',
          label: "What is the registered keeper's address?",
          summaryLabel: "Keeper's address",
          name: "the registered keeper's address",
          hint: 'We will send the vehicle registration certificate (V5C) to this address',
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
          summaryLabel: 'Email address',
          name: 'your email address',
          hint: 'We will use this to send you updates about your application',
        },
      ],
    },
  ],
  checkAnswers: {
    sections: [
      {
        title: 'Vehicle details',
        pages: [
          'vehicle-identification-number',
          'make-and-model',
          'first-registration',
          'fuel-type',
          'engine-size',
          'used-import',
          'import-country',
          'import-documents',
        ],
      },
      {
        title: 'Registered keeper',
        pages: ['keeper-type', 'keeper-name', 'company-details', 'keeper-address'],
      },
      { title: 'Contact details', pages: ['contact-email'] },
    ],
  },
  declaration: {
    text: [
      'I confirm that the information I have given is correct and complete to the best of my knowledge.',
      'I understand that the vehicle must not be used on a public road until it is registered, taxed and insured.',
      'I understand that giving false information may mean the application is refused, and that I could be prosecuted.',
    ],
    submitLabel: 'Accept and send',
  },
  processingTargetWorkingDays: 10,
  afterApproval: [
    'We will post the vehicle registration certificate (V5C) to the registered keeper within 5 working days.',
    'You must tax the vehicle before it is used on a public road. You will need the reference number on the V5C.',
  ],
  whatHappensNext: [
    'We will check your application and may contact you if we need more information or need to inspect the vehicle.',
    "If your application is approved, we will give the vehicle a registration number and send a vehicle registration certificate (V5C) to the registered keeper's address.",
    'You can tax the vehicle as soon as you have the V5C.',
  ],
  statusCheckQuestions: ['contactEmail'],
};

export default service;
