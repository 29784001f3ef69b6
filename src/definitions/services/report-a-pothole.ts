import { AGENCIES } from '../agencies';
import type { ServiceDefinition } from '../types';

const service: ServiceDefinition = {
  slug: 'report-a-pothole',
  version: 3,
  title: 'Report a pothole',
  summary:
    'Tell your council about a pothole in a road, pavement or cycle path so it can be inspected and repaired.',
  topics: ['Housing and local services', 'Driving and transport'],
  keywords: [
    'pothole',
    'road damage',
    'road repair',
    'highways',
    'pavement',
    'cycle path',
    'report a road problem',
  ],
  agency: AGENCIES.localCouncil,
  startPage: {
    description: [
      'Use this service to report a pothole in a road, pavement or cycle path that your council looks after.',
      'Do not use this service for motorways or major A roads. Report those to National Highways.',
      "If a pothole has caused an accident or is an immediate danger to people, call your council's emergency highways number as well.",
    ],
    youWillNeed: [
      'the street and town where the pothole is',
      'a description of where it is, such as a nearby house number or junction',
      'the postcode of the nearest house or business',
    ],
    timeToComplete: 'It takes around 5 minutes to complete.',
  },
  pages: [
    {
      id: 'location',
      questions: [
        {
          type: 'textarea',
          id: 'locationDescription',
          label: 'Where is the pothole?',
          summaryLabel: 'Where the pothole is',
          name: 'where the pothole is',
          hint: 'For example, outside number 12 or 20 metres from the junction with Mill Lane',
          maxLength: 500,
          rows: 4,
        },
      ],
    },
    {
      id: 'road',
      title: 'Which road is it on?',
      questions: [
        {
          type: 'text',
          id: 'street',
          label: 'Street',
          name: 'the street',
          maxLength: 100,
        },
        {
          type: 'text',
          id: 'town',
          label: 'Town or city',
          name: 'the town or city',
          maxLength: 100,
          width: 20,
        },
        {
          type: 'postcode',
          id: 'locationPostcode',
          label: 'Postcode',
          name: 'the postcode',
          hint: 'Use the postcode of the nearest house or business',
        },
      ],
    },
    {
      id: 'pothole-size',
      questions: [
        {
          type: 'radios',
          id: 'potholeSize',
          label: 'How big is the pothole?',
          summaryLabel: 'Size',
          name: 'the size of the pothole',
          hint: 'It does not need to be exact',
          options: [
            { value: 'small', text: 'Smaller than a dinner plate' },
            { value: 'medium', text: 'About the size of a dinner plate' },
            { value: 'large', text: 'Bigger than a dinner plate' },
          ],
        },
      ],
    },
    {
      id: 'pothole-depth',
      questions: [
        {
          type: 'number',
          id: 'potholeDepth',
          label: 'How deep is the pothole?',
          summaryLabel: 'Depth',
          name: 'the depth',
          hint: 'A rough estimate in centimetres is fine',
          optional: true,
          min: 1,
          max: 100,
          suffix: 'cm',
          unit: 'centimetres',
          width: 3,
        },
      ],
    },
    {
      id: 'danger',
      questions: [
        {
          type: 'yes-no',
          id: 'immediateDanger',
          label: 'Is the pothole an immediate danger to people or vehicles?',
          summaryLabel: 'Immediate danger',
          name: 'whether the pothole is an immediate danger',
          hint: 'For example, it is on a busy road or has already damaged a vehicle',
          messages: { required: 'Select yes if the pothole is an immediate danger to people or vehicles' },
        },
      ],
      next: {
        to: ['danger-details', 'photos'],
        choose: (answers) => (answers.immediateDanger === 'yes' ? 'danger-details' : 'photos'),
      },
    },
    {
      id: 'danger-details',
      questions: [
        {
          type: 'textarea',
          id: 'dangerDetails',
          label: 'Why is it dangerous?',
          summaryLabel: 'Why it is dangerous',
          name: 'why the pothole is dangerous',
          hint: 'For example, cyclists are swerving into traffic to avoid it',
          maxLength: 500,
          rows: 4,
        },
      ],
    },
    {
      id: 'photos',
      questions: [
        {
          type: 'file',
          id: 'potholePhotos',
          label: 'Upload photos of the pothole',
          summaryLabel: 'Photos',
          name: 'photos of the pothole',
          hint: 'Photos help us find it and judge how bad it is. Each photo must be a JPG or PNG and smaller than 10MB',
          accept: ['jpg', 'png'],
          maxFiles: 3,
          fileNoun: 'a photo',
          optional: true,
        },
      ],
    },
    {
      id: 'contact-details',
      title: 'How can we contact you?',
      intro: [
        'We will use these to send you updates about your report, to ask you about it if we need to, and so that you can check its progress online.',
      ],
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
          optional: true,
        },
      ],
    },
  ],
  checkAnswers: {
    sections: [
      {
        title: 'The pothole',
        pages: ['location', 'road', 'pothole-size', 'pothole-depth', 'danger', 'danger-details', 'photos'],
      },
      { title: 'Your contact details', pages: ['contact-details'] },
    ],
  },
  declaration: {
    text: ['I confirm that the information I have given is correct to the best of my knowledge.'],
    submitLabel: 'Send report',
  },
  processingTargetWorkingDays: 5,
  urgency: {
    when: (answers) => answers.immediateDanger === 'yes',
    label: 'Immediate danger',
    advice: [
      'You told us the pothole is an immediate danger. If it has caused an accident or someone could be hurt, call your council’s emergency highways number now as well: do not wait for us to contact you.',
      'If anyone is injured or in danger, call 999.',
    ],
  },
  afterApproval: [
    'We have accepted your report and will repair the pothole. Dangerous potholes are made safe within 24 hours; others are repaired within 28 days.',
  ],
  whatHappensNext: [
    'A highways inspector will visit the pothole and decide whether it needs to be repaired and how urgently.',
    'We repair potholes that are a danger to road users first.',
    'We will email you when the pothole has been inspected and when it has been repaired.',
  ],
  statusCheckQuestions: ['contactEmail', 'contactPhone'],
};

export default service;
