import { estimateSelfAssessment, type TaxYear } from '../../tax/estimate';
import { AGENCIES } from '../agencies';
import type { AnswerValue, Answers, Calculation, ServiceDefinition } from '../types';

const TAX_YEARS: readonly TaxYear[] = ['2025-26', '2024-25', '2023-24'];

/** The income pages in the order they are asked, each shown only when its source is chosen. */
const INCOME_PAGES = [
  { source: 'employment', page: 'employment-income' },
  { source: 'self-employment', page: 'self-employment-income' },
  { source: 'property', page: 'property-income' },
] as const;

const AFTER_INCOME = 'contact-email';

function isTaxYear(value: AnswerValue | undefined): value is TaxYear {
  return typeof value === 'string' && (TAX_YEARS as readonly string[]).includes(value);
}

function selected(value: AnswerValue | undefined): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function pence(value: AnswerValue | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The next income page after position `after` in INCOME_PAGES (-1 for the first), or the page after them all. */
function nextIncomePage(answers: Answers, after: number): string {
  const sources = selected(answers.incomeSources);
  const next = INCOME_PAGES.slice(after + 1).find(({ source }) => sources.includes(source));
  return next ? next.page : AFTER_INCOME;
}

/** '2024-25' -> '6 April 2024 to 5 April 2025' */
function taxYearDates(taxYear: TaxYear): string {
  const start = Number(taxYear.slice(0, 4));
  return `6 April ${start} to 5 April ${start + 1}`;
}

const POUNDS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** 123456 -> '£1,234.56'; negative amounts get a leading minus sign. */
function money(amountPence: number): string {
  const rounded = Math.round(amountPence);
  const abs = Math.abs(rounded);
  const pounds = POUNDS.format(Math.floor(abs / 100));
  const pennies = String(abs % 100).padStart(2, '0');
  return `${rounded < 0 ? '-' : ''}£${pounds}.${pennies}`;
}

function estimatedTaxBill(answers: Answers): Calculation | undefined {
  const taxYear = answers.taxYear;
  if (!isTaxYear(taxYear)) return undefined;

  // Only count the sources still chosen: answers from a page the citizen has since skipped may linger.
  const sources = selected(answers.incomeSources);
  const employed = sources.includes('employment');
  const selfEmployed = sources.includes('self-employment');
  const landlord = sources.includes('property');
  const scottishTaxpayer = answers.scottishTaxpayer === 'yes';

  const turnover = selfEmployed ? pence(answers.selfEmploymentTurnover) : 0;
  const rentalIncome = landlord ? pence(answers.rentalIncome) : 0;

  const estimate = estimateSelfAssessment({
    taxYear,
    scottishTaxpayer,
    employmentPayPence: employed ? pence(answers.employmentPay) : 0,
    employmentTaxPaidPence: employed ? pence(answers.employmentTaxPaid) : 0,
    selfEmploymentTurnoverPence: turnover,
    selfEmploymentExpensesPence: selfEmployed ? pence(answers.selfEmploymentExpenses) : 0,
    propertyIncomePence: rentalIncome,
    propertyExpensesPence: landlord ? pence(answers.propertyExpenses) : 0,
  });

  const rows: { key: string; value: string }[] = [];
  if (employed) rows.push({ key: 'Employment pay', value: money(pence(answers.employmentPay)) });
  if (selfEmployed) {
    rows.push({ key: 'Self-employment profit', value: money(estimate.selfEmploymentProfitPence) });
    if (estimate.usedTradingAllowance) {
      rows.push({
        key: 'Trading allowance',
        value: money(Math.max(0, turnover - estimate.selfEmploymentProfitPence)),
      });
    }
  }
  if (landlord) {
    rows.push({ key: 'Property profit', value: money(estimate.propertyProfitPence) });
    if (estimate.usedPropertyAllowance) {
      rows.push({
        key: 'Property allowance',
        value: money(Math.max(0, rentalIncome - estimate.propertyProfitPence)),
      });
    }
  }
  rows.push(
    { key: 'Total income', value: money(estimate.totalIncomePence) },
    { key: 'Personal Allowance', value: money(estimate.personalAllowancePence) },
    { key: 'Taxable income', value: money(estimate.taxableIncomePence) },
  );
  for (const band of estimate.incomeTaxBands) {
    rows.push({
      key: `${band.name}: ${band.ratePercent}% on ${money(band.taxablePence)}`,
      value: money(band.taxPence),
    });
  }
  rows.push(
    { key: 'Income Tax', value: money(estimate.incomeTaxPence) },
    { key: 'Class 4 National Insurance', value: money(estimate.class4NationalInsurancePence) },
    { key: 'Class 2 National Insurance', value: money(estimate.class2NationalInsurancePence) },
    {
      key: 'Total Income Tax and National Insurance',
      value: money(estimate.totalTaxAndNationalInsurancePence),
    },
    { key: 'Already paid through your employer', value: money(estimate.alreadyPaidPence) },
    estimate.balancePence < 0
      ? { key: 'You are due a repayment of', value: money(-estimate.balancePence) }
      : { key: 'You owe', value: money(estimate.balancePence) },
  );

  const notes = [
    `This is an estimate based on the published rates and allowances for the ${taxYearDates(taxYear)} tax year and the answers you have given. It is not a tax bill.`,
  ];
  if (scottishTaxpayer)
    notes.push('Scottish Income Tax rates have been used because you are a Scottish taxpayer.');
  if (estimate.usedTradingAllowance) {
    notes.push('The £1,000 trading allowance has been used instead of your allowable business expenses.');
  }
  if (estimate.usedPropertyAllowance) {
    notes.push('The £1,000 property allowance has been used instead of your allowable property expenses.');
  }
  notes.push(
    'It does not include payments on account, interest or penalties. We will work out the tax you owe when we process your return.',
  );

  return { title: 'Your estimated tax bill', rows, notes };
}

const service: ServiceDefinition = {
  slug: 'file-a-self-assessment-tax-return',
  version: 1,
  title: 'File a Self Assessment tax return',
  summary:
    'Send your Self Assessment tax return if you were employed, self-employed or rented out property, and see an estimate of your tax bill.',
  topics: ['Money and tax'],
  keywords: [
    'self assessment',
    'tax return',
    'SA100',
    'income tax',
    'self-employed',
    'sole trader',
    'landlord',
    'rental income',
    'UTR',
  ],
  agency: AGENCIES.taxAuthority,
  startPage: {
    description: [
      'Use this service to send your Self Assessment tax return if you had income from employment, self-employment or renting out property in the UK.',
      'You will see an estimate of your tax bill before you send your return.',
      'The deadline for online returns is 31 January after the end of the tax year.',
    ],
    youWillNeed: [
      'your 10-digit Unique Taxpayer Reference (UTR)',
      'your National Insurance number',
      'your P60, or your P45 if you left a job during the tax year',
      'records of your business income and allowable expenses, if you were self-employed',
      'records of rent you received and your property expenses, if you rented out property',
    ],
    timeToComplete: 'It takes around 20 minutes to complete.',
    otherWays: [
      'You can also send a paper tax return (SA100) by post. The deadline for paper returns is 31 October after the end of the tax year.',
    ],
  },
  pages: [
    {
      id: 'unique-taxpayer-reference',
      questions: [
        {
          type: 'utr',
          id: 'utr',
          label: 'What is your Unique Taxpayer Reference (UTR)?',
          summaryLabel: 'Unique Taxpayer Reference (UTR)',
          name: 'your Unique Taxpayer Reference',
          hint: 'This is 10 numbers long and is on letters about Self Assessment from HM Revenue and Customs',
        },
      ],
    },
    {
      id: 'national-insurance-number',
      questions: [
        {
          type: 'national-insurance-number',
          id: 'nationalInsuranceNumber',
          label: 'What is your National Insurance number?',
          summaryLabel: 'National Insurance number',
          name: 'your National Insurance number',
          hint: "It's on your National Insurance card, payslip or P60, for example QQ 12 34 56 C",
        },
      ],
    },
    {
      id: 'tax-year',
      questions: [
        {
          type: 'radios',
          id: 'taxYear',
          label: 'Which tax year is this return for?',
          summaryLabel: 'Tax year',
          name: 'the tax year',
          options: TAX_YEARS.map((taxYear) => ({ value: taxYear, text: taxYearDates(taxYear) })),
        },
      ],
    },
    {
      id: 'scottish-taxpayer',
      questions: [
        {
          type: 'yes-no',
          id: 'scottishTaxpayer',
          label: 'Were you a Scottish taxpayer in this tax year?',
          summaryLabel: 'Scottish taxpayer',
          name: 'whether you were a Scottish taxpayer',
          hint: 'This depends on where you lived, not where you worked, so usually yes if your main home was in Scotland',
          messages: { required: 'Select yes if you were a Scottish taxpayer' },
        },
      ],
    },
    {
      id: 'income-sources',
      questions: [
        {
          type: 'checkboxes',
          id: 'incomeSources',
          label: 'What types of income did you have in this tax year?',
          summaryLabel: 'Types of income',
          name: 'the types of income you had',
          hint: 'Select all that apply',
          options: [
            {
              value: 'employment',
              text: 'Employment',
              hint: 'Pay from a job as an employee or company director',
            },
            {
              value: 'self-employment',
              text: 'Self-employment',
              hint: 'Working for yourself as a sole trader',
            },
            { value: 'property', text: 'UK property', hint: 'Rent from letting out a house, flat or room' },
          ],
        },
      ],
      next: {
        // The question is required, so at least one income page always follows.
        to: INCOME_PAGES.map(({ page }) => page),
        choose: (answers) => nextIncomePage(answers, -1),
      },
    },
    {
      id: 'employment-income',
      title: 'Employment income',
      intro: ['Use the figures from your P60, or from your P45 if you left a job during the tax year.'],
      questions: [
        {
          type: 'money',
          id: 'employmentPay',
          label: 'Pay from employment before tax',
          summaryLabel: 'Employment pay',
          name: 'your pay from employment',
          hint: 'Add together the pay from all your jobs',
        },
        {
          type: 'money',
          id: 'employmentTaxPaid',
          label: 'UK tax taken off pay',
          summaryLabel: 'UK tax taken off pay',
          name: 'the UK tax taken off your pay',
          hint: 'This is the tax your employers took off through PAYE',
        },
      ],
      next: {
        to: [...INCOME_PAGES.slice(1).map(({ page }) => page), AFTER_INCOME],
        choose: (answers) => nextIncomePage(answers, 0),
      },
    },
    {
      id: 'self-employment-income',
      title: 'Self-employment income',
      intro: ["Use the totals for your business's accounting period that ended in this tax year."],
      questions: [
        {
          type: 'money',
          id: 'selfEmploymentTurnover',
          label: 'Turnover',
          summaryLabel: 'Self-employment turnover',
          name: 'your turnover',
          hint: 'Your total business income before taking off any expenses',
        },
        {
          type: 'money',
          id: 'selfEmploymentExpenses',
          label: 'Allowable expenses',
          summaryLabel: 'Self-employment allowable expenses',
          name: 'your allowable expenses',
          hint: 'Costs of running your business, for example stock, travel or phone bills',
        },
      ],
      next: {
        to: [...INCOME_PAGES.slice(2).map(({ page }) => page), AFTER_INCOME],
        choose: (answers) => nextIncomePage(answers, 1),
      },
    },
    {
      id: 'property-income',
      title: 'UK property income',
      intro: ['Include the rent from all the UK properties you let out.'],
      questions: [
        {
          type: 'money',
          id: 'rentalIncome',
          label: 'Rental income',
          summaryLabel: 'Rental income',
          name: 'your rental income',
          hint: 'The total rent and other income you got from your properties',
        },
        {
          type: 'money',
          id: 'propertyExpenses',
          label: 'Allowable property expenses',
          summaryLabel: 'Property expenses',
          name: 'your allowable property expenses',
          hint: 'For example, letting agent fees, repairs and insurance, but not mortgage interest',
        },
      ],
    },
    {
      id: AFTER_INCOME,
      questions: [
        {
          type: 'email',
          id: 'contactEmail',
          label: 'What is your email address?',
          summaryLabel: 'Email address',
          name: 'your email address',
          hint: 'We will use this to tell you when we have processed your return',
        },
      ],
    },
  ],
  checkAnswers: {
    sections: [
      {
        title: 'Your details',
        pages: ['unique-taxpayer-reference', 'national-insurance-number', 'tax-year', 'scottish-taxpayer'],
      },
      {
        title: 'Your income',
        pages: ['income-sources', ...INCOME_PAGES.map(({ page }) => page)],
      },
      { title: 'Contact details', pages: [AFTER_INCOME] },
    ],
    calculation: estimatedTaxBill,
  },
  declaration: {
    text: [
      'The information I have given on this tax return is correct and complete to the best of my knowledge and belief.',
      'I understand that I may have to pay financial penalties and face prosecution if I give false information.',
    ],
    submitLabel: 'Send your tax return',
  },
  processingTargetWorkingDays: 40,
  // Figures from a P60 or an accountant can take a while to gather.
  reminderAfterWorkingDays: 15,
  afterApproval: [
    'Your tax return has been processed. We will post you a statement of what you owe or what we owe you.',
    'Pay any tax you owe by 31 January.',
  ],
  whatHappensNext: [
    'We will work out the tax you owe, or any repayment you are due, from the information in your return.',
    'We will send you a tax calculation. You must pay any tax you owe by 31 January after the end of the tax year.',
    'If you are due a repayment, we will contact you to tell you how to get it.',
  ],
  statusCheckQuestions: ['contactEmail'],
};

export default service;
