// The public schema of a service definition. A government service is one file in
// src/definitions/services/ that exports a ServiceDefinition; the engine reads nothing else.
// Why TypeScript and not JSON: type-checking for free, and branching is a plain function of the answers.

/** An answer as stored: strings are normalised (postcodes upper case, NINOs without spaces), money is integer pence,
 *  dates are 'YYYY-MM-DD', checkboxes are arrays of option values, addresses are objects. */
export type AnswerValue = string | number | readonly string[] | AddressValue | readonly UploadedFile[];

/** A file the citizen uploaded (a file question's answer is a list of them). The bytes are in the upload store. */
export type UploadedFile = Readonly<{
  /** The stored file's id (a random UUID); meaningful only with the journey that uploaded it. */
  id: string;
  /** The name shown back to the citizen and staff, cleaned (src/uploads/file-content.ts); never used as a path. */
  name: string;
  /** Bytes as stored (images are re-encoded, so this may differ from what was sent). */
  size: number;
  kind: FileKind;
}>;

/** The kinds of file a question may accept, decided from the content, never from the name. */
export type FileKind = 'jpg' | 'png' | 'pdf';

export type AddressValue = Readonly<{
  line1: string;
  line2?: string;
  town: string;
  county?: string;
  postcode: string;
}>;

/** Answers keyed by question id. */
export type Answers = Readonly<Record<string, AnswerValue | undefined>>;

export type Option = Readonly<{
  value: string;
  text: string;
  hint?: string;
  /** A follow-up question revealed when this option is chosen (GOV.UK conditional reveal). Radios only. */
  conditional?: Question;
}>;

type QuestionBase<T extends string> = Readonly<{
  type: T;
  /** The answer's key: camelCase, unique across the whole service. Also the form field's name and id. */
  id: string;
  /** The question as asked. With one question on a page it is the page heading (h1). */
  label: string;
  /** The row label on check your answers and in staff views. Defaults to the label. */
  summaryLabel?: string;
  /** A noun phrase with its determiner for error messages: "your full name" gives "Enter your full name". */
  name: string;
  /** One short sentence, no full stop, no links. */
  hint?: string;
  /** Optional questions add "(optional)" to the label and show "Not provided" on check your answers. */
  optional?: boolean;
  /** Replace a default error message, keyed by rule: required, tooLong, tooShort, format, ... */
  messages?: Readonly<Partial<Record<string, string>>>;
  /**
   * The question as asked of the person it is about, when the service's `askingTheSubject` says the citizen is
   * applying for themselves: "What is your full name?" rather than "What is the badge holder's full name?".
   */
  toSubject?: Readonly<{
    label: string;
    name: string;
    summaryLabel?: string;
    hint?: string;
    messages?: Readonly<Partial<Record<string, string>>>;
  }>;
}>;

export type InputWidth = 2 | 3 | 4 | 5 | 10 | 20 | 30 | 'one-half' | 'two-thirds' | 'full';

export type TextQuestion = QuestionBase<'text'> &
  Readonly<{
    maxLength?: number; // default 200 characters
    minLength?: number;
    autocomplete?: string;
    spellcheck?: boolean;
    width?: InputWidth;
  }>;

export type TextareaQuestion = QuestionBase<'textarea'> & Readonly<{ maxLength: number; rows?: number }>;

export type NumberQuestion = QuestionBase<'number'> &
  Readonly<{
    min?: number;
    max?: number;
    /** Shown after the input, like 'cc' or 'cm'. */
    suffix?: string;
    /** The unit as error messages say it, like 'centimetres' or 'cc': "Depth must be a whole number of centimetres". */
    unit?: string;
    /** A typical answer for "like 15" in error messages (default 15). */
    example?: number;
    width?: InputWidth;
  }>;

/** Pounds and pence typed by the citizen; stored as integer pence. */
export type MoneyQuestion = QuestionBase<'money'> & Readonly<{ minPence?: number; maxPence?: number }>;

export type DateQuestion = QuestionBase<'date'> &
  Readonly<{
    /** past: before today; today-or-past; future: after today; today-or-future. */
    when?: 'past' | 'today-or-past' | 'future' | 'today-or-future';
    /** Inclusive bounds as 'YYYY-MM-DD'. */
    earliest?: string;
    latest?: string;
    /** 'bday' adds bday-day/month/year autocomplete tokens for a date of birth. */
    autocomplete?: 'bday';
  }>;

export type RadiosQuestion = QuestionBase<'radios'> &
  Readonly<{ options: readonly Option[]; inline?: boolean; small?: boolean }>;

export type CheckboxesQuestion = QuestionBase<'checkboxes'> &
  Readonly<{
    options: readonly Option[];
    /** An option such as "None of these" that cannot be combined with the others. */
    exclusiveOption?: Readonly<{ value: string; text: string }>;
  }>;

export type YesNoQuestion = QuestionBase<'yes-no'>;
export type EmailQuestion = QuestionBase<'email'>;
export type PhoneQuestion = QuestionBase<'phone'> &
  Readonly<{
    /** 'uk-mobile': only a UK mobile number (for text messages); a landline or a number abroad is refused. */
    kind?: 'any' | 'uk-mobile';
  }>;
export type PostcodeQuestion = QuestionBase<'postcode'>;
export type AddressQuestion = QuestionBase<'address'>;
export type NationalInsuranceNumberQuestion = QuestionBase<'national-insurance-number'>;
export type UtrQuestion = QuestionBase<'utr'>;
export type VehicleRegistrationQuestion = QuestionBase<'vehicle-registration'>;
export type VinQuestion = QuestionBase<'vin'>;
/**
 * Evidence: the GOV.UK file upload component, one file at a time ("Upload file"), with the files uploaded so far
 * listed on the page with Remove buttons (the multiple files pattern). Every file is checked by its content and
 * scanned for viruses before it is kept (src/uploads/).
 */
export type FileQuestion = QuestionBase<'file'> &
  Readonly<{
    accept: readonly FileKind[];
    /** Per file; default 10 MB (and never more than UPLOAD_MAX_BYTES). */
    maxBytes?: number;
    /** Default 1 (0 when optional). */
    minFiles?: number;
    /** Default 1. */
    maxFiles?: number;
    /** "a photo", "a document": used in "Upload another ..." and "You can upload up to 3 ...". */
    fileNoun?: string;
  }>;

export type Question =
  | TextQuestion
  | TextareaQuestion
  | NumberQuestion
  | MoneyQuestion
  | DateQuestion
  | RadiosQuestion
  | CheckboxesQuestion
  | YesNoQuestion
  | EmailQuestion
  | PhoneQuestion
  | PostcodeQuestion
  | AddressQuestion
  | NationalInsuranceNumberQuestion
  | UtrQuestion
  | VehicleRegistrationQuestion
  | VinQuestion
  | FileQuestion;

export type QuestionType = Question['type'];

/** Where a journey ends: the check your answers page. */
export const CHECK_ANSWERS = 'check-answers';

/**
 * Branching. `to` lists every page `choose` may return, so the registry can check that each target exists
 * and that every page is reachable; at run time a choice outside `to` is a bug and throws.
 */
export type Branch = Readonly<{ to: readonly string[]; choose: (answers: Answers) => string }>;

export type QuestionPage = Readonly<{
  /** URL segment: kebab-case, unique in the service. */
  id: string;
  /** The h1 when a page has several questions (then required); a single question's label is the h1 instead. */
  title?: string;
  /** A short caption above the heading, e.g. the section name. */
  caption?: string;
  /** Plain-text paragraphs shown under the heading of a multi-question page. */
  intro?: readonly string[];
  questions: readonly Question[];
  /** The next page id, a Branch, or absent for the following page in `pages` (check answers after the last). */
  next?: string | Branch;
}>;

export type Agency = Readonly<{
  id: string;
  /** As a heading or label: "Environment Agency", "Your local council". */
  name: string;
  /**
   * As the subject of a sentence, where GOV.UK content names it: "the Environment Agency", "HM Revenue and
   * Customs", "your local council" ("Contact the Environment Agency", "the Environment Agency aims to…").
   */
  inSentence: string;
  contact: Readonly<{ email: string; phone?: string }>;
}>;

export const TOPICS = [
  'Benefits and disability',
  'Driving and transport',
  'Environment and countryside',
  'Housing and local services',
  'Money and tax',
  'Voting and citizenship',
] as const;
export type Topic = (typeof TOPICS)[number];

/** Extra rows computed from the answers and shown on check your answers, e.g. an estimated tax bill. */
export type Calculation = Readonly<{
  title: string;
  rows: readonly Readonly<{ key: string; value: string }>[];
  /** Plain-text notes shown under the rows, e.g. "This is an estimate…". */
  notes: readonly string[];
}>;

export type ServiceDefinition = Readonly<{
  /** URL segment: /services/<slug>. kebab-case, unique across the portal. */
  slug: string;
  /** Bump when questions change; submissions store the version and a snapshot of what the citizen saw. */
  version: number;
  /** Verb-led, sentence case: "Register a vehicle". */
  title: string;
  /** One sentence for the catalogue and search results. */
  summary: string;
  topics: readonly Topic[];
  /** Extra search words people might use ("car", "logbook", "V5C"). */
  keywords: readonly string[];
  agency: Agency;
  startPage: Readonly<{
    /** Paragraphs under the h1: what the service is for and who can use it. */
    description: readonly string[];
    /** "Before you start" bullet list: what you will need. */
    youWillNeed: readonly string[];
    /** "It takes around 10 minutes to complete." */
    timeToComplete: string;
    /** Paragraphs about other ways to apply (post, phone). */
    otherWays?: readonly string[];
  }>;
  pages: readonly QuestionPage[];
  /**
   * Applications that need attention first (a pothole that is an immediate danger): flagged when sent, shown first
   * in the staff queue with `label`, and the confirmation page repeats `advice` (what to do now, such as an
   * emergency number).
   */
  urgency?: Readonly<{ when: (answers: Answers) => boolean; label: string; advice: readonly string[] }>;
  /**
   * True when the answers say the citizen is the person the application is about ("Myself"): questions with a
   * `toSubject` wording are then asked in the second person, on their pages, in errors and on check answers.
   */
  askingTheSubject?: (answers: Answers) => boolean;
  checkAnswers: Readonly<{
    /** Summary-list cards in order; each names the pages whose answers it shows. Every page must be in one. */
    sections: readonly Readonly<{ title: string; pages: readonly string[] }>[];
    calculation?: (answers: Answers) => Calculation | undefined;
  }>;
  declaration: Readonly<{
    /** Plain-text paragraphs shown under "Now send your application". */
    text: readonly string[];
    /** The submit button names the action: "Accept and send", "Send your tax return". */
    submitLabel: string;
  }>;
  /** The processing target in working days (weekends and bank holidays excluded). */
  processingTargetWorkingDays: number;
  /** Paragraphs for the confirmation page's "What happens next". */
  whatHappensNext: readonly string[];
  /** What the citizen does or gets once it is approved, shown on the status page: "We will post the badge…". */
  afterApproval: readonly string[];
  /**
   * When a request for more information has had no reply for this many working days, the citizen gets one reminder
   * (src/notifications/reminders.ts). DEFAULT_REMINDER_WORKING_DAYS when not set.
   */
  reminderAfterWorkingDays?: number;
  /**
   * The contact details the applicant gives about themselves, which prove ownership when checking status: ids of
   * top-level `email` and `phone` questions (at most one of each). Any one given is accepted, exactly as the
   * question stored it. At least one of them must be required on every path to check answers (the registry checks
   * it). Never a postcode or address: those can be public places (a pothole's location) or another person's.
   */
  statusCheckQuestions: readonly string[];
}>;

/** Working days without a reply before the one reminder, for services that do not set their own. */
export const DEFAULT_REMINDER_WORKING_DAYS = 10;
