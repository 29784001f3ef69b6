import { RATES, type IncomeTaxBand, type TaxYearRates } from './rates';

// A pure estimate of a Self Assessment bill: Income Tax (UK or Scottish bands) on employment,
// self-employment and property income, plus Class 4 and Class 2 National Insurance on self-employment
// profit. All money is integer pence in and out. Figures live in ./rates.
//
// Deliberately out of scope: savings and dividend income (and their allowances and rates), reliefs
// (pension contributions, Gift Aid, Marriage Allowance, Blind Person's Allowance), losses carried
// forward or set against other income, payments on account, Student Loan repayments, High Income Child
// Benefit Charge and voluntary Class 2 contributions.

export type TaxYear = '2023-24' | '2024-25' | '2025-26';

/** Newest first. */
export const TAX_YEARS: readonly TaxYear[] = Object.freeze(['2025-26', '2024-25', '2023-24'] as const);

export type EstimateInput = {
  taxYear: TaxYear;
  scottishTaxpayer: boolean;
  employmentPayPence: number; // gross pay from employment (0 if none)
  employmentTaxPaidPence: number; // UK tax already taken off that pay (PAYE), 0 if none
  selfEmploymentTurnoverPence: number; // 0 if none
  selfEmploymentExpensesPence: number; // allowable expenses claimed, 0 if none
  propertyIncomePence: number; // rental income, 0 if none
  propertyExpensesPence: number; // allowable property expenses, 0 if none
};

export type BandLine = { name: string; ratePercent: number; taxablePence: number; taxPence: number };

export type Estimate = {
  taxYear: TaxYear;
  selfEmploymentProfitPence: number; // turnover minus the larger of expenses and the £1,000 trading allowance, floored at 0
  usedTradingAllowance: boolean;
  propertyProfitPence: number; // same rule with the £1,000 property allowance
  usedPropertyAllowance: boolean;
  totalIncomePence: number; // employment pay + self-employment profit + property profit
  personalAllowancePence: number; // after the £100,000 taper
  taxableIncomePence: number;
  incomeTaxBands: BandLine[]; // one line per band actually used, in order
  incomeTaxPence: number;
  class4NationalInsurancePence: number; // on self-employment profit only
  class2NationalInsurancePence: number; // per the year's rules
  totalTaxAndNationalInsurancePence: number;
  alreadyPaidPence: number; // = employmentTaxPaidPence
  balancePence: number; // total minus already paid; may be negative (a repayment)
};

const AMOUNT_FIELDS = [
  'employmentPayPence',
  'employmentTaxPaidPence',
  'selfEmploymentTurnoverPence',
  'selfEmploymentExpensesPence',
  'propertyIncomePence',
  'propertyExpensesPence',
] as const satisfies readonly (keyof EstimateInput)[];

function isTaxYear(value: unknown): value is TaxYear {
  return typeof value === 'string' && (TAX_YEARS as readonly string[]).includes(value);
}

function validate(input: EstimateInput): void {
  if (!isTaxYear(input.taxYear)) {
    throw new RangeError(
      `Unknown tax year: ${String(input.taxYear)} (expected one of ${TAX_YEARS.join(', ')})`,
    );
  }
  if (typeof input.scottishTaxpayer !== 'boolean') {
    throw new RangeError('scottishTaxpayer must be true or false');
  }
  for (const field of AMOUNT_FIELDS) {
    const value: unknown = input[field];
    // Safe integers only, so every sum below stays exact.
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${field} must be a whole, non-negative number of pence (got ${String(value)})`);
    }
  }
}

/**
 * Rounding rule: tax on each band (and each Class 4 slice) is rounded to the nearest penny, halves
 * rounded up (e.g. 9.5p → 10p, 9.4p → 9p); totals are sums of the rounded lines. Computed in BigInt so
 * the multiplication is exact for any safe-integer amount; the rate is taken in hundredths of a percent.
 */
function percentOf(amountPence: number, ratePercent: number): number {
  const basisPoints = BigInt(Math.round(ratePercent * 100));
  return Number((BigInt(amountPence) * basisPoints + 5_000n) / 10_000n);
}

/** Profit after the larger of actual expenses and the £1,000 allowance, floored at 0 (no loss relief). */
function profitAfterAllowance(
  receiptsPence: number,
  expensesPence: number,
  allowancePence: number,
): { profitPence: number; usedAllowance: boolean } {
  // The allowance is "used" when it beats the expenses and there is income for it to cover. At exactly
  // £1,000 of expenses the two give the same profit; we report the expenses as claimed.
  const usedAllowance = receiptsPence > 0 && allowancePence > expensesPence;
  const deduction = usedAllowance ? allowancePence : expensesPence;
  return { profitPence: Math.max(0, receiptsPence - deduction), usedAllowance };
}

/**
 * The Personal Allowance falls by £1 for every £2 of adjusted net income over £100,000 (ITA 2007 s.35).
 * Total income (employment pay + both profits) is used as adjusted net income: the reliefs that would
 * reduce it (pension contributions, Gift Aid) are outside this estimate. Working in pence, the reduction
 * is half the excess, rounded down to a whole penny (in the taxpayer's favour), so the allowance reaches
 * £0 at exactly £125,140.
 */
function taperedPersonalAllowance(totalIncomePence: number, rates: TaxYearRates): number {
  const excess = Math.max(0, totalIncomePence - rates.personalAllowanceTaperThresholdPence);
  return Math.max(0, rates.personalAllowancePence - Math.floor(excess / 2));
}

/**
 * Slices taxable income across the bands in order, returning one line per band actually used.
 * Band limits are in taxable income (after the Personal Allowance) and keep their size when the allowance
 * is tapered, so a tapered allowance makes each rate start at a lower total income (domain-facts §1.1).
 * Scottish bands are applied the same way: ./rates converts GOV.UK's total-income ranges (which assume
 * the standard allowance) into taxable-income limits, and those limits are then used unchanged whatever
 * the person's allowance. This matches how the Scottish rate resolution sets the bands (on income above
 * the allowance) and keeps the top-rate threshold at £125,140, where the allowance is £0 anyway.
 */
function applyBands(taxablePence: number, bands: readonly IncomeTaxBand[]): BandLine[] {
  const lines: BandLine[] = [];
  let lowerLimit = 0;
  for (const band of bands) {
    if (taxablePence <= lowerLimit) break;
    const upper =
      band.upToTaxablePence === null ? taxablePence : Math.min(taxablePence, band.upToTaxablePence);
    const inBand = upper - lowerLimit;
    lines.push({
      name: band.name,
      ratePercent: band.ratePercent,
      taxablePence: inBand,
      taxPence: percentOf(inBand, band.ratePercent),
    });
    if (band.upToTaxablePence === null) break;
    lowerLimit = band.upToTaxablePence;
  }
  return lines;
}

/** Class 4: main rate on profit between the lower and upper profits limits, additional rate above. */
function class4(profitPence: number, rates: TaxYearRates): number {
  const { mainRatePercent, additionalRatePercent, lowerProfitsLimitPence, upperProfitsLimitPence } =
    rates.class4;
  const atMainRate = Math.max(0, Math.min(profitPence, upperProfitsLimitPence) - lowerProfitsLimitPence);
  const atAdditionalRate = Math.max(0, profitPence - upperProfitsLimitPence);
  return percentOf(atMainRate, mainRatePercent) + percentOf(atAdditionalRate, additionalRatePercent);
}

/**
 * Class 2:
 * - 2023-24: a flat weekly rate for the whole year (52 × £3.45) when profit is at or above £12,570;
 *   between the small profits threshold and £12,570 it is treated as paid, so nothing is due.
 * - From 2024-25: not payable; at or above the small profits threshold it is treated as paid.
 * Below the small profits threshold Class 2 is voluntary (to protect benefit entitlement). Voluntary
 * contributions are out of scope for this estimate, so they are always counted as £0.
 */
function class2(profitPence: number, rates: TaxYearRates): number {
  const rules = rates.class2;
  if (rules.kind === 'not-payable') return 0;
  return profitPence >= rules.payableFromProfitPence ? rules.weeklyRatePence * rules.weeks : 0;
}

function sum(values: readonly number[]): number {
  const total = values.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('Amounts are too large to estimate exactly');
  return total;
}

export function estimateSelfAssessment(input: EstimateInput): Estimate {
  validate(input);
  const rates = RATES[input.taxYear];

  const selfEmployment = profitAfterAllowance(
    input.selfEmploymentTurnoverPence,
    input.selfEmploymentExpensesPence,
    rates.tradingAllowancePence,
  );
  const property = profitAfterAllowance(
    input.propertyIncomePence,
    input.propertyExpensesPence,
    rates.propertyAllowancePence,
  );

  // All three sources are non-savings, non-dividend income, so for a Scottish taxpayer all of it is
  // taxed on the Scottish bands.
  const totalIncomePence = sum([input.employmentPayPence, selfEmployment.profitPence, property.profitPence]);
  const personalAllowancePence = taperedPersonalAllowance(totalIncomePence, rates);
  const taxableIncomePence = Math.max(0, totalIncomePence - personalAllowancePence);

  const bands = input.scottishTaxpayer ? rates.scottishIncomeTaxBands : rates.incomeTaxBands;
  const incomeTaxBands = applyBands(taxableIncomePence, bands);
  const incomeTaxPence = sum(incomeTaxBands.map((line) => line.taxPence));

  const class4NationalInsurancePence = class4(selfEmployment.profitPence, rates);
  const class2NationalInsurancePence = class2(selfEmployment.profitPence, rates);
  const totalTaxAndNationalInsurancePence = sum([
    incomeTaxPence,
    class4NationalInsurancePence,
    class2NationalInsurancePence,
  ]);

  return {
    taxYear: input.taxYear,
    selfEmploymentProfitPence: selfEmployment.profitPence,
    usedTradingAllowance: selfEmployment.usedAllowance,
    propertyProfitPence: property.profitPence,
    usedPropertyAllowance: property.usedAllowance,
    totalIncomePence,
    personalAllowancePence,
    taxableIncomePence,
    incomeTaxBands,
    incomeTaxPence,
    class4NationalInsurancePence,
    class2NationalInsurancePence,
    totalTaxAndNationalInsurancePence,
    alreadyPaidPence: input.employmentTaxPaidPence,
    balancePence: totalTaxAndNationalInsurancePence - input.employmentTaxPaidPence,
  };
}
