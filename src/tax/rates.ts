import type { TaxYear } from './estimate';

// Published bands and rates for the Self Assessment estimate, per tax year (6 April to 5 April).
// Every figure is a published rate; the bracketed keys name its source, e.g. [G-IT] = GOV.UK "Income Tax rates and Personal Allowances",
// [PE] = PolicyEngine/policyengine-uk parameters, [HMRC-SE] = hmrc/income-tax-self-employment-frontend
// TaxYearConfig.scala. All money is integer pence; rates are percentages.

/** £ to pence, for writing the published whole-pound figures legibly. */
const pounds = (amount: number): number => amount * 100;

/** The Personal Allowance every band table below assumes (§1.1, frozen at £12,570 for all three years). */
const STANDARD_PERSONAL_ALLOWANCE_POUNDS = 12_570;

/**
 * GOV.UK publishes Scottish bands as total-income ranges "assuming the standard £12,570 Personal Allowance"
 * (§1.2). The bands themselves apply to taxable income, so a boundary below £100,000 of total income
 * (where nobody's allowance is tapered) converts to taxable income by subtracting the standard allowance:
 * e.g. starter 2024-25 "£12,571–£14,876" is taxable £0–£2,306. (The one boundary at or above £100,000,
 * £125,140, is where the allowance has fully tapered to £0, so it is the same in taxable terms; it is
 * written out directly below.)
 */
const aboveStandardAllowance = (totalIncomePounds: number): number =>
  pounds(totalIncomePounds - STANDARD_PERSONAL_ALLOWANCE_POUNDS);

export type IncomeTaxBand = {
  readonly name: string;
  readonly ratePercent: number;
  /** Upper limit of the band in taxable income (income after the Personal Allowance); null = no limit. */
  readonly upToTaxablePence: number | null;
};

export type Class2Rules =
  | {
      readonly kind: 'weekly-flat-rate';
      readonly weeklyRatePence: number;
      readonly weeks: number;
      /** Class 2 is payable when self-employment profit is at or above this. */
      readonly payableFromProfitPence: number;
      /** Small profits threshold: between it and payableFromProfitPence Class 2 is treated as paid. */
      readonly smallProfitsThresholdPence: number;
    }
  | {
      readonly kind: 'not-payable';
      /** Small profits threshold: at or above it Class 2 is treated as paid. */
      readonly smallProfitsThresholdPence: number;
    };

export type TaxYearRates = {
  readonly personalAllowancePence: number;
  /** The Personal Allowance falls by £1 for every £2 of adjusted net income above this. */
  readonly personalAllowanceTaperThresholdPence: number;
  readonly tradingAllowancePence: number;
  readonly propertyAllowancePence: number;
  /** England, Wales and Northern Ireland, in order from the lowest band. */
  readonly incomeTaxBands: readonly IncomeTaxBand[];
  /** Scotland (non-savings, non-dividend income), in order from the lowest band. */
  readonly scottishIncomeTaxBands: readonly IncomeTaxBand[];
  readonly class4: {
    readonly mainRatePercent: number;
    readonly additionalRatePercent: number;
    readonly lowerProfitsLimitPence: number;
    readonly upperProfitsLimitPence: number;
  };
  readonly class2: Class2Rules;
};

// Personal Allowance £12,570 and its taper (−£1 per £2 over £100,000, so £0 at £125,140+), the same in
// all three years: [G-ITprev] 2023-24, [G-IT] 2024-25, [G-IT-mirror] 2025-26; [PE]
// personal_allowance/amount.yaml (ITA 2007 s.35), maximum_ANI.yaml = 100,000, reduction_rate.yaml = 0.5.
const PERSONAL_ALLOWANCE = pounds(STANDARD_PERSONAL_ALLOWANCE_POUNDS);
const TAPER_THRESHOLD = pounds(100_000);

// Trading and property allowances, £1,000 each: [PE] trading_allowance.yaml, property_allowance.yaml
// (F(No.2)A 2017 Sch.3); [G-IT-mirror].
const TRADING_ALLOWANCE = pounds(1_000);
const PROPERTY_ALLOWANCE = pounds(1_000);

// Income Tax, E/W/NI, frozen across 2023-24 to 2025-26 (§1.1): basic 20% on taxable £0–£37,700,
// higher 40% to £125,140, additional 45% above £125,140. [G-IT], [G-ITprev]; [PE] rates/uk.yaml
// (threshold 37,700, FA 2021 s.5; additional-rate threshold £125,140, FA 2023 s.6(4)).
const UK_INCOME_TAX_BANDS: readonly IncomeTaxBand[] = [
  { name: 'Basic rate', ratePercent: 20, upToTaxablePence: pounds(37_700) },
  { name: 'Higher rate', ratePercent: 40, upToTaxablePence: pounds(125_140) },
  { name: 'Additional rate', ratePercent: 45, upToTaxablePence: null },
];

// Class 4 NI limits, the same in all three years: LPL £12,570, UPL £50,270 [G-SENI23], [G-SENI24];
// [HMRC-SE] keys 2024, 2025, 2026 = (12570, 50270, …).
const LOWER_PROFITS_LIMIT = pounds(12_570);
const UPPER_PROFITS_LIMIT = pounds(50_270);

export const RATES: Readonly<Record<TaxYear, TaxYearRates>> = {
  '2023-24': {
    personalAllowancePence: PERSONAL_ALLOWANCE,
    personalAllowanceTaperThresholdPence: TAPER_THRESHOLD,
    tradingAllowancePence: TRADING_ALLOWANCE,
    propertyAllowancePence: PROPERTY_ALLOWANCE,
    incomeTaxBands: UK_INCOME_TAX_BANDS,
    // Scottish 2023-24: [G-SCO23], [MYGOV], [GOVSCOT]; [PE] rates/scotland/rates.yaml. No advanced band;
    // top rate 47%.
    scottishIncomeTaxBands: [
      { name: 'Starter rate', ratePercent: 19, upToTaxablePence: aboveStandardAllowance(14_732) },
      { name: 'Basic rate', ratePercent: 20, upToTaxablePence: aboveStandardAllowance(25_688) },
      { name: 'Intermediate rate', ratePercent: 21, upToTaxablePence: aboveStandardAllowance(43_662) },
      { name: 'Higher rate', ratePercent: 42, upToTaxablePence: pounds(125_140) },
      { name: 'Top rate', ratePercent: 47, upToTaxablePence: null },
    ],
    // Class 4 9% / 2%: [G-SENI23]; [HMRC-SE] key 2024 = (12570, 50270, 9, 2).
    class4: {
      mainRatePercent: 9,
      additionalRatePercent: 2,
      lowerProfitsLimitPence: LOWER_PROFITS_LIMIT,
      upperProfitsLimitPence: UPPER_PROFITS_LIMIT,
    },
    // Class 2 £3.45 a week at profits of £12,570 or more; treated as paid between the SPT (£6,725) and
    // £12,570: [G-SENI23]; [HMRC-SE] SPT 6725; "treated as paid" [TAXCOMPUTE] (secondary).
    // 52 weeks per the worked example in §1.5 (52 × £3.45 = £179.40).
    class2: {
      kind: 'weekly-flat-rate',
      weeklyRatePence: 345,
      weeks: 52,
      payableFromProfitPence: pounds(12_570),
      smallProfitsThresholdPence: pounds(6_725),
    },
  },
  '2024-25': {
    personalAllowancePence: PERSONAL_ALLOWANCE,
    personalAllowanceTaperThresholdPence: TAPER_THRESHOLD,
    tradingAllowancePence: TRADING_ALLOWANCE,
    propertyAllowancePence: PROPERTY_ALLOWANCE,
    incomeTaxBands: UK_INCOME_TAX_BANDS,
    // Scottish 2024-25: [G-SCO24], [MYGOV], [GOVSCOT]; [PE] rates/scotland/rates.yaml. New advanced
    // band (45%) from £75,001; top rate 48%.
    scottishIncomeTaxBands: [
      { name: 'Starter rate', ratePercent: 19, upToTaxablePence: aboveStandardAllowance(14_876) },
      { name: 'Basic rate', ratePercent: 20, upToTaxablePence: aboveStandardAllowance(26_561) },
      { name: 'Intermediate rate', ratePercent: 21, upToTaxablePence: aboveStandardAllowance(43_662) },
      { name: 'Higher rate', ratePercent: 42, upToTaxablePence: aboveStandardAllowance(75_000) },
      { name: 'Advanced rate', ratePercent: 45, upToTaxablePence: pounds(125_140) },
      { name: 'Top rate', ratePercent: 48, upToTaxablePence: null },
    ],
    // Class 4 main rate 6% (down from 9% on 6 April 2024), additional 2%: [G-SENI24]; [HMRC-SE] key 2025
    // = (12570, 50270, 6, 2); [PE] class_4/rates/main.yaml (NICs (Reduction in Rates) Act 2024 s.1).
    class4: {
      mainRatePercent: 6,
      additionalRatePercent: 2,
      lowerProfitsLimitPence: LOWER_PROFITS_LIMIT,
      upperProfitsLimitPence: UPPER_PROFITS_LIMIT,
    },
    // Class 2 not payable from 6 April 2024; treated as paid at profits of £6,725 or more: [G-SENI24];
    // [PE] class_2/flat_rate.yaml (0 from 2024).
    class2: { kind: 'not-payable', smallProfitsThresholdPence: pounds(6_725) },
  },
  '2025-26': {
    personalAllowancePence: PERSONAL_ALLOWANCE,
    personalAllowanceTaperThresholdPence: TAPER_THRESHOLD,
    tradingAllowancePence: TRADING_ALLOWANCE,
    propertyAllowancePence: PROPERTY_ALLOWANCE,
    incomeTaxBands: UK_INCOME_TAX_BANDS,
    // Scottish 2025-26: [MYGOV], [GOVSCOT]; [PE] rates/scotland/rates.yaml.
    scottishIncomeTaxBands: [
      { name: 'Starter rate', ratePercent: 19, upToTaxablePence: aboveStandardAllowance(15_397) },
      { name: 'Basic rate', ratePercent: 20, upToTaxablePence: aboveStandardAllowance(27_491) },
      { name: 'Intermediate rate', ratePercent: 21, upToTaxablePence: aboveStandardAllowance(43_662) },
      { name: 'Higher rate', ratePercent: 42, upToTaxablePence: aboveStandardAllowance(75_000) },
      { name: 'Advanced rate', ratePercent: 45, upToTaxablePence: pounds(125_140) },
      { name: 'Top rate', ratePercent: 48, upToTaxablePence: null },
    ],
    // Class 4 6% / 2%: [HMRC-SE] key 2026.
    class4: {
      mainRatePercent: 6,
      additionalRatePercent: 2,
      lowerProfitsLimitPence: LOWER_PROFITS_LIMIT,
      upperProfitsLimitPence: UPPER_PROFITS_LIMIT,
    },
    // Class 2 not payable; treated as paid at profits of £6,845 or more: SPT from [PE]
    // class_2/small_profits_threshold.yaml (citing GOV.UK "Rates and allowances: NICs"). [HMRC-SE] key
    // 2026 still holds 6,725; domain-facts §1.3 says to use £6,845.
    class2: { kind: 'not-payable', smallProfitsThresholdPence: pounds(6_845) },
  },
};
