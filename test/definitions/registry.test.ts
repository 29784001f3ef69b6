import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENCIES } from '../../src/definitions/agencies';
import {
  DefinitionError,
  checkDefinition,
  createRegistry,
  loadServiceDefinitions,
} from '../../src/definitions/registry';
import {
  CHECK_ANSWERS,
  type Branch,
  type Option,
  type Question,
  type QuestionPage,
  type ServiceDefinition,
  type Topic,
} from '../../src/definitions/types';
import { shippedServices } from '../helpers/app';

// A valid minimal service: two single-question pages, the second holding the status check's email address.
// Each test spreads over it the one part it breaks.

const textQuestion = (id: string, overrides: Partial<Question> = {}): Question =>
  ({ type: 'text', id, label: `What is your ${id}?`, name: `your ${id}`, ...overrides }) as Question;

const emailQuestion = (id = 'contactEmail', overrides: Partial<Question> = {}): Question =>
  ({
    type: 'email',
    id,
    label: 'What is your email address?',
    name: 'your email address',
    ...overrides,
  }) as Question;

const phoneQuestion = (id = 'contactPhone', overrides: Partial<Question> = {}): Question =>
  ({ type: 'phone', id, label: 'Phone number', name: 'your phone number', ...overrides }) as Question;

const radiosQuestion = (id: string, options: readonly Option[]): Question => ({
  type: 'radios',
  id,
  label: 'Which one?',
  name: 'which one',
  options,
});

const page = (
  id: string,
  questions: readonly Question[],
  extra: Partial<QuestionPage> = {},
): QuestionPage => ({
  id,
  questions,
  ...extra,
});

const branch = (...to: string[]): Branch => ({ to, choose: () => to[0]! });

const section = (...pages: string[]) => ({ title: 'Your answers', pages });

function service(overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  const pages = overrides.pages ?? [
    page('your-name', [textQuestion('fullName')]),
    page('your-email', [emailQuestion()]),
  ];
  return {
    slug: 'test-service',
    version: 1,
    title: 'Apply for a test',
    summary: 'A service used by the registry tests.',
    topics: ['Money and tax'],
    keywords: ['test'],
    agency: AGENCIES.localCouncil,
    startPage: {
      description: ['Use this service to test the registry.'],
      youWillNeed: ['your postcode'],
      timeToComplete: 'It takes around 1 minute to complete.',
    },
    checkAnswers: { sections: [section(...pages.map((p) => p.id))] },
    declaration: { text: ['I confirm this is correct.'], submitLabel: 'Accept and send' },
    processingTargetWorkingDays: 10,
    whatHappensNext: ['We will look at your answers.'],
    afterApproval: ['You will get your test in the post.'],
    statusCheckQuestions: ['contactEmail'],
    ...overrides,
    pages,
  };
}

/** Starting the registry must fail with a DefinitionError; its problems are returned for precise assertions. */
function refusal(...definitions: ServiceDefinition[]): readonly string[] {
  const start = () => createRegistry(definitions);
  expect(start).toThrow(DefinitionError);
  try {
    start();
  } catch (err) {
    return (err as DefinitionError).problems;
  }
  throw new Error('unreachable: createRegistry did not throw');
}

describe('a valid definition', () => {
  it('passes with no problems and can be found by its slug', () => {
    const definition = service();
    expect(checkDefinition(definition)).toEqual([]);
    expect(createRegistry([definition]).find('test-service')).toBe(definition);
  });

  it('finds nothing for a slug that is not registered', () => {
    expect(createRegistry([service()]).find('no-such-service')).toBeUndefined();
  });
});

describe('the shipped services', () => {
  const registry = createRegistry(loadServiceDefinitions());

  it('all pass the registry', () => {
    expect(registry.services.flatMap(checkDefinition)).toEqual([]);
  });

  it('number at least six, from at least four distinct agencies', () => {
    expect(registry.services.length).toBeGreaterThanOrEqual(6);
    expect(new Set(registry.services.map((s) => s.agency.id)).size).toBeGreaterThanOrEqual(4);
  });

  it('can each be found by their slug', () => {
    for (const s of registry.services) expect(registry.find(s.slug)).toBe(s);
    expect(registry.find('report-a-pothole')?.title).toBe('Report a pothole');
  });
});

describe('loading definitions from a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-test-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file without a default export, naming the file', () => {
    fs.writeFileSync(path.join(dir, 'broken-service.js'), 'exports.notDefault = 1;\n');
    const load = () => loadServiceDefinitions(dir);
    expect(load).toThrow(DefinitionError);
    expect(load).toThrow(
      expect.objectContaining({ problems: ['broken-service.js: has no default export'] }) as Error,
    );
  });
});

describe('several problems', () => {
  it('are all reported at once, across services, in one error', () => {
    const bad = service({
      slug: 'bad-service',
      processingTargetWorkingDays: 0,
      statusCheckQuestions: ['nope'],
    });
    const other = service({ slug: 'other-service', topics: ['Sport' as Topic] });
    const problems = refusal(bad, other, other);
    expect(problems).toEqual([
      'service "bad-service": processingTargetWorkingDays must be a positive whole number',
      'service "bad-service": statusCheckQuestions "nope" must be a top-level email or phone question',
      'service "other-service": unknown topic "Sport"',
      'service "other-service": unknown topic "Sport"',
      'service "other-service": duplicate slug',
    ]);
    let message = '';
    try {
      createRegistry([bad, other]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('service "bad-service": processingTargetWorkingDays');
    expect(message).toContain('service "other-service": unknown topic "Sport"');
  });
});

describe('the reminder period', () => {
  it('accepts a whole number of working days from 1 to 60, and refuses anything else', () => {
    for (const days of [1, 60]) {
      expect(createRegistry([service({ reminderAfterWorkingDays: days })]).services).toHaveLength(1);
    }
    for (const bad of [0, 61, 2.5, Number.NaN]) {
      expect(refusal(service({ slug: 'bad-service', reminderAfterWorkingDays: bad }))).toEqual([
        'service "bad-service": reminderAfterWorkingDays must be a whole number from 1 to 60',
      ]);
    }
  });
});

describe('slugs', () => {
  it('refuses two services with the same slug', () => {
    expect(refusal(service(), service({ title: 'Another test' }))).toEqual([
      'service "test-service": duplicate slug',
    ]);
  });
});

describe('question ids', () => {
  it('refuses the same question id on two pages', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('your-other-name', [textQuestion('fullName')]),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-other-name", question "fullName": duplicate question id (also on page "your-name")',
    ]);
  });

  it('refuses a conditional follow-up question whose id clashes with a top-level question', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('contact', [
        radiosQuestion('contactBy', [
          { value: 'post', text: 'Post', conditional: textQuestion('fullName') },
          { value: 'phone', text: 'Phone' },
        ]),
      ]),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "contact", question "fullName": duplicate question id (also on page "your-name")',
    ]);
  });

  it.each(['full_name', 'FullName', 'full-name', '1stName'])(
    'refuses the question id "%s", which is not camelCase',
    (id) => {
      const pages = [page('your-name', [textQuestion(id)]), page('your-email', [emailQuestion()])];
      expect(refusal(service({ pages }))).toEqual([
        `service "test-service", page "your-name", question "${id}": question id must be camelCase`,
      ]);
    },
  );

  it('refuses a question id that is a built-in object property, as answers are keyed by id', () => {
    const pages = [page('your-name', [textQuestion('constructor')]), page('your-email', [emailQuestion()])];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-name", question "constructor": question id "constructor" is a built-in object property',
    ]);
  });
});

describe('question types', () => {
  it('refuses a question type the engine does not know', () => {
    const slider = {
      type: 'slider',
      id: 'volume',
      label: 'How loud?',
      name: 'how loud',
    } as unknown as Question;
    const pages = [page('volume', [slider]), page('your-email', [emailQuestion()])];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "volume", question "volume": unknown question type "slider"',
    ]);
  });
});

describe('options', () => {
  it('refuses radios with duplicate option values', () => {
    const pages = [
      page('colour', [
        radiosQuestion('colour', [
          { value: 'red', text: 'Red' },
          { value: 'red', text: 'Crimson' },
        ]),
      ]),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "colour", question "colour": duplicate option values',
    ]);
  });

  it('refuses radios with no options', () => {
    const pages = [page('colour', [radiosQuestion('colour', [])]), page('your-email', [emailQuestion()])];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "colour", question "colour": needs at least one option',
    ]);
  });

  it('refuses a conditional follow-up question on a checkboxes option', () => {
    const checkboxes: Question = {
      type: 'checkboxes',
      id: 'benefits',
      label: 'Which benefits do you get?',
      name: 'which benefits you get',
      options: [
        { value: 'pip', text: 'Personal Independence Payment', conditional: textQuestion('pipRate') },
        { value: 'dla', text: 'Disability Living Allowance' },
      ],
    };
    const pages = [page('benefits', [checkboxes]), page('your-email', [emailQuestion()])];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "benefits", question "benefits": conditional follow-up questions are supported on radios only',
    ]);
  });

  it('refuses a follow-up question that has follow-up questions of its own', () => {
    const nested = radiosQuestion('contactTime', [
      { value: 'morning', text: 'Morning', conditional: textQuestion('morningHour') },
    ]);
    const pages = [
      page('contact', [
        radiosQuestion('contactBy', [{ value: 'phone', text: 'Phone', conditional: nested }]),
      ]),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "contact", question "contactTime": a follow-up question cannot have follow-up questions of its own',
    ]);
  });
});

describe('pages', () => {
  it('refuses a page with several questions and no title', () => {
    const pages = [
      page('your-name', [textQuestion('firstName'), textQuestion('lastName')]),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-name": a page with several questions needs a title',
    ]);
  });

  it('accepts a page with several questions when it has a title', () => {
    const pages = [
      page('your-name', [textQuestion('firstName'), textQuestion('lastName')], {
        title: 'What is your name?',
      }),
      page('your-email', [emailQuestion()]),
    ];
    expect(checkDefinition(service({ pages }))).toEqual([]);
  });

  it.each(['confirmation', 'feedback', 'start', 'submit'])('refuses the reserved page id "%s"', (id) => {
    const pages = [page('your-name', [textQuestion('fullName')]), page(id, [emailQuestion()])];
    expect(refusal(service({ pages }))).toEqual([
      `service "test-service", page "${id}": "${id}" is reserved for the engine`,
    ]);
  });

  it(`refuses the reserved page id "${CHECK_ANSWERS}", which would also cut the journey short`, () => {
    const pages = [page('your-name', [textQuestion('fullName')]), page(CHECK_ANSWERS, [emailQuestion()])];
    const problems = refusal(service({ pages }));
    expect(problems).toContain(
      `service "test-service", page "${CHECK_ANSWERS}": "${CHECK_ANSWERS}" is reserved for the engine`,
    );
    expect(problems).toContain(
      `service "test-service", page "${CHECK_ANSWERS}": is unreachable from the first page`,
    );
  });

  it.each(['Your-Name', 'your_name', 'your--name', '-your-name', 'your name'])(
    'refuses the page id "%s", which is not kebab-case',
    (id) => {
      const pages = [page(id, [textQuestion('fullName')]), page('your-email', [emailQuestion()])];
      expect(refusal(service({ pages }))).toEqual([
        `service "test-service", page "${id}": page id must be kebab-case`,
      ]);
    },
  );

  it('refuses two pages with the same id', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('your-name', [textQuestion('nickname')]),
      page('your-email', [emailQuestion()]),
    ];
    const definition = service({
      pages,
      checkAnswers: { sections: [section('your-name', 'your-email')] },
    });
    expect(refusal(definition)).toContain('service "test-service", page "your-name": duplicate page id');
  });
});

describe('next targets', () => {
  it('refuses a string next naming a page that does not exist', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')], { next: 'your-adress' }),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-name": next target "your-adress" does not exist',
      'service "test-service", page "your-email": is unreachable from the first page',
    ]);
  });

  it('refuses a branch whose "to" lists a page that does not exist', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')], { next: branch('your-email', 'overseas-address') }),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-name": next target "overseas-address" does not exist',
    ]);
  });

  it('refuses a branch whose "to" lists no pages, a dead end', () => {
    const pages = [
      page('your-email', [emailQuestion()]),
      page('your-name', [textQuestion('fullName')], { next: branch() }),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-name": branch "to" lists no pages',
    ]);
  });

  it('refuses a page that cannot be reached from the first page', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')], { next: 'your-email' }),
      page('nickname', [textQuestion('nickname')]),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "nickname": is unreachable from the first page',
    ]);
  });

  it('refuses a loop between pages', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('your-email', [emailQuestion()], { next: branch('your-name', CHECK_ANSWERS) }),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-name": is part of a loop; journeys must always move forward',
    ]);
  });

  it('refuses a page that leads back to itself', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('your-email', [emailQuestion()], { next: 'your-email' }),
    ];
    expect(refusal(service({ pages }))).toEqual([
      'service "test-service", page "your-email": is part of a loop; journeys must always move forward',
    ]);
  });
});

describe('check answers sections', () => {
  it('refuses a page missing from every section', () => {
    const definition = service({ checkAnswers: { sections: [section('your-email')] } });
    expect(refusal(definition)).toEqual([
      'service "test-service", page "your-name": must appear in exactly one check answers section (found 0)',
    ]);
  });

  it('refuses a page listed twice', () => {
    const definition = service({
      checkAnswers: { sections: [section('your-name', 'your-email'), section('your-name')] },
    });
    expect(refusal(definition)).toEqual([
      'service "test-service", page "your-name": must appear in exactly one check answers section (found 2)',
    ]);
  });

  it('refuses a section naming a page that does not exist', () => {
    const definition = service({
      checkAnswers: { sections: [section('your-name', 'your-email', 'your-pets')] },
    });
    expect(refusal(definition)).toEqual([
      'service "test-service": check answers section lists unknown page "your-pets"',
    ]);
  });
});

describe('the status check questions', () => {
  const mustBe = (id: string) =>
    `service "test-service": statusCheckQuestions "${id}" must be a top-level email or phone question`;
  const skippable = (pages: string) =>
    `service "test-service": statusCheckQuestions: a required one must be answered on every path to check answers${pages}`;

  it('refuses a service that names none', () => {
    expect(refusal(service({ statusCheckQuestions: [] }))).toEqual([
      `service "test-service": statusCheckQuestions must name the applicant's email or phone question`,
    ]);
  });

  it('refuses a question that no page asks', () => {
    expect(refusal(service({ statusCheckQuestions: ['homeEmail'] }))).toEqual([mustBe('homeEmail')]);
  });

  it.each([
    ['a name', textQuestion('fullName')],
    [
      'a postcode, which can be a public place',
      { type: 'postcode', id: 'postcode', label: 'Postcode', name: 'the postcode' },
    ],
    [
      'an address',
      { type: 'address', id: 'homeAddress', label: 'What is your address?', name: 'your address' },
    ],
  ] as const)('refuses %s: only an email address or phone number proves ownership', (_what, question) => {
    const pages = [page('your-name', [question as Question]), page('your-email', [emailQuestion()])];
    expect(refusal(service({ pages, statusCheckQuestions: ['contactEmail', question.id] }))).toEqual([
      mustBe(question.id),
    ]);
  });

  it('refuses a conditional follow-up question', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('contact', [
        radiosQuestion('contactBy', [{ value: 'email', text: 'Email', conditional: emailQuestion() }]),
      ]),
    ];
    expect(refusal(service({ pages }))).toEqual([mustBe('contactEmail')]);
  });

  it('refuses two questions of the same type', () => {
    const pages = [page('your-name', [emailQuestion('otherEmail')]), page('your-email', [emailQuestion()])];
    expect(refusal(service({ pages, statusCheckQuestions: ['contactEmail', 'otherEmail'] }))).toEqual([
      'service "test-service": statusCheckQuestions names more than one email question ("otherEmail")',
    ]);
  });

  it('refuses questions that may all be left blank', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page(
        'contact',
        [
          emailQuestion('contactEmail', { optional: true }),
          phoneQuestion('contactPhone', { optional: true }),
        ],
        {
          title: 'How can we contact you?',
        },
      ),
    ];
    expect(refusal(service({ pages, statusCheckQuestions: ['contactEmail', 'contactPhone'] }))).toEqual([
      skippable(''),
    ]);
  });

  it('accepts an optional phone number beside a required email address, and a required phone number alone', () => {
    const both = [
      page('your-name', [textQuestion('fullName')]),
      page('contact', [emailQuestion(), phoneQuestion('contactPhone', { optional: true })], {
        title: 'Contact details',
      }),
    ];
    expect(
      checkDefinition(service({ pages: both, statusCheckQuestions: ['contactEmail', 'contactPhone'] })),
    ).toEqual([]);
    const phone = [page('your-name', [textQuestion('fullName')]), page('your-phone', [phoneQuestion()])];
    expect(checkDefinition(service({ pages: phone, statusCheckQuestions: ['contactPhone'] }))).toEqual([]);
  });

  it('refuses a question on a page that one branch skips, naming the page', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')], { next: branch('your-email', 'overseas') }),
      page('your-email', [emailQuestion()], { next: CHECK_ANSWERS }),
      page('overseas', [textQuestion('country')]),
    ];
    expect(refusal(service({ pages }))).toEqual([skippable(' (pages "your-email" can be skipped)')]);
  });

  it('refuses a question skipped by a branch further down the journey', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')]),
      page('abroad', [textQuestion('country')], { next: branch('your-email', CHECK_ANSWERS) }),
      page('your-email', [emailQuestion()]),
    ];
    expect(refusal(service({ pages }))).toEqual([skippable(' (pages "your-email" can be skipped)')]);
  });

  it('accepts an email on one branch and a phone number on the other', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')], { next: branch('your-email', 'your-phone') }),
      page('your-email', [emailQuestion()], { next: CHECK_ANSWERS }),
      page('your-phone', [phoneQuestion()]),
    ];
    expect(
      checkDefinition(service({ pages, statusCheckQuestions: ['contactEmail', 'contactPhone'] })),
    ).toEqual([]);
  });

  it('accepts a question after the branches join again', () => {
    const pages = [
      page('your-name', [textQuestion('fullName')], { next: branch('uk', 'overseas') }),
      page('uk', [textQuestion('county')], { next: 'your-email' }),
      page('overseas', [textQuestion('country')], { next: 'your-email' }),
      page('your-email', [emailQuestion()]),
    ];
    expect(checkDefinition(service({ pages }))).toEqual([]);
  });

  it('accepts a question on the first page, before any branch', () => {
    const pages = [
      page('your-email', [emailQuestion()], { next: branch('uk', CHECK_ANSWERS) }),
      page('uk', [textQuestion('county')]),
    ];
    expect(checkDefinition(service({ pages }))).toEqual([]);
  });

  it('holds for every shipped service: each asks the applicant for an email address or phone number', () => {
    for (const definition of shippedServices().services) {
      const questions = definition.pages.flatMap((p) => p.questions);
      const types = definition.statusCheckQuestions.map((id) => questions.find((q) => q.id === id)?.type);
      expect({
        slug: definition.slug,
        ok: types.length > 0 && types.every((t) => t === 'email' || t === 'phone'),
      }).toEqual({
        slug: definition.slug,
        ok: true,
      });
    }
  });
});

describe('topics', () => {
  it('refuses a topic that is not in the catalogue', () => {
    expect(refusal(service({ topics: ['Money and tax', 'Sport and leisure' as Topic] }))).toEqual([
      'service "test-service": unknown topic "Sport and leisure"',
    ]);
  });
});

describe('the processing target', () => {
  it.each([0, -5, 2.5])('refuses %s working days', (days) => {
    expect(refusal(service({ processingTargetWorkingDays: days }))).toEqual([
      'service "test-service": processingTargetWorkingDays must be a positive whole number',
    ]);
  });
});
