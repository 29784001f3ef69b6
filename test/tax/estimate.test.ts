import { TAX_YEARS, estimateSelfAssessment, type EstimateInput, type TaxYear } from '../../src/tax/estimate';

/** £ to pence; Math.round guards against binary fractions such as 12_570.25 * 100. */
const pence = (pounds: number): number => Math.round(pounds * 100);

function input(overrides: Partial<EstimateInput> = {}): EstimateInput {
  return {
    taxYear: '2024-25',
    scottishTaxpayer: false,
    employmentPayPence: 0,
    employmentTaxPaidPence: 0,
    selfEmploymentTurnoverPence: 0,
    selfEmploymentExpensesPence: 0,
    propertyIncomePence: 0,
    propertyExpensesPence: 0,
    ...overrides,
  };
}

/** Self-employed with £40,000 profit: turnover £45,000 less £5,000 expenses (domain-facts §1.5). */
const fortyThousandProfit = (taxYear: TaxYear, scottishTaxpayer = false): EstimateInput =>
  input({
    taxYear,
    scottishTaxpayer,
    selfEmploymentTurnoverPence: pence(45_000),
    selfEmploymentExpensesPence: pence(5_000),
  });

describe('the list of tax years', () => {
  it('offers the three supported years, newest first', () => {
    expect(TAX_YEARS).toEqual(['2025-26', '2024-25', '2023-24']);
  });
});

describe('the worked example from domain-facts §1.5: self-employed with £40,000 profit', () => {
  it('gives £5,486.00 income tax, £1,645.80 Class 4, no Class 2 and £7,131.80 in total in 2024-25 in England, Wales or Northern Ireland', () => {
    const estimate = estimateSelfAssessment(fortyThousandProfit('2024-25'));
    expect(estimate).toEqual({
      taxYear: '2024-25',
      selfEmploymentProfitPence: pence(40_000),
      usedTradingAllowance: false,
      propertyProfitPence: 0,
      usedPropertyAllowance: false,
      totalIncomePence: pence(40_000),
      personalAllowancePence: pence(12_570),
      taxableIncomePence: pence(27_430),
      incomeTaxBands: [
        { name: 'Basic rate', ratePercent: 20, taxablePence: pence(27_430), taxPence: pence(5_486) },
      ],
      incomeTaxPence: pence(5_486),
      class4NationalInsurancePence: pence(1_645.8),
      class2NationalInsurancePence: 0,
      totalTaxAndNationalInsurancePence: pence(7_131.8),
      alreadyPaidPence: 0,
      balancePence: pence(7_131.8),
    });
  });

  it('gives the same figures in 2025-26 because every rate and threshold used is unchanged', () => {
    const estimate = estimateSelfAssessment(fortyThousandProfit('2025-26'));
    expect(estimate.incomeTaxPence).toBe(pence(5_486));
    expect(estimate.class4NationalInsurancePence).toBe(pence(1_645.8));
    expect(estimate.class2NationalInsurancePence).toBe(0);
    expect(estimate.totalTaxAndNationalInsurancePence).toBe(pence(7_131.8));
  });

  it('gives £8,134.10 in 2023-24, with Class 4 at 9% (£2,468.70) and Class 2 of 52 weeks at £3.45 (£179.40)', () => {
    const estimate = estimateSelfAssessment(fortyThousandProfit('2023-24'));
    expect(estimate.incomeTaxPence).toBe(pence(5_486));
    expect(estimate.class4NationalInsurancePence).toBe(pence(2_468.7));
    expect(estimate.class2NationalInsurancePence).toBe(pence(179.4));
    expect(estimate.totalTaxAndNationalInsurancePence).toBe(pence(8_134.1));
  });

  it('gives £5,597.33 income tax over three Scottish bands and £7,243.13 in total for a Scottish taxpayer in 2024-25', () => {
    const estimate = estimateSelfAssessment(fortyThousandProfit('2024-25', true));
    expect(estimate.incomeTaxBands).toEqual([
      { name: 'Starter rate', ratePercent: 19, taxablePence: pence(2_306), taxPence: pence(438.14) },
      { name: 'Basic rate', ratePercent: 20, taxablePence: pence(11_685), taxPence: pence(2_337) },
      { name: 'Intermediate rate', ratePercent: 21, taxablePence: pence(13_439), taxPence: pence(2_822.19) },
    ]);
    expect(estimate.incomeTaxPence).toBe(pence(5_597.33));
    expect(estimate.class4NationalInsurancePence).toBe(pence(1_645.8));
    expect(estimate.totalTaxAndNationalInsurancePence).toBe(pence(7_243.13));
  });
});

describe('the Personal Allowance taper', () => {
  it('reduces the allowance to £7,570 and charges £33,432 on employment income of £110,000 in 2024-25', () => {
    const estimate = estimateSelfAssessment(input({ employmentPayPence: pence(110_000) }));
    expect(estimate.personalAllowancePence).toBe(pence(7_570));
    expect(estimate.taxableIncomePence).toBe(pence(102_430));
    expect(estimate.incomeTaxBands).toEqual([
      { name: 'Basic rate', ratePercent: 20, taxablePence: pence(37_700), taxPence: pence(7_540) },
      { name: 'Higher rate', ratePercent: 40, taxablePence: pence(64_730), taxPence: pence(25_892) },
    ]);
    expect(estimate.incomeTaxPence).toBe(pence(33_432));
  });

  it('leaves the full allowance at exactly £100,000 of income', () => {
    const estimate = estimateSelfAssessment(input({ employmentPayPence: pence(100_000) }));
    expect(estimate.personalAllowancePence).toBe(pence(12_570));
  });

  it('leaves £70 of allowance at £125,000 of income', () => {
    const estimate = estimateSelfAssessment(input({ employmentPayPence: pence(125_000) }));
    expect(estimate.personalAllowancePence).toBe(pence(70));
    expect(estimate.incomeTaxPence).toBe(pence(42_432));
  });

  it('removes the allowance entirely at £125,140 without reaching the additional rate', () => {
    const estimate = estimateSelfAssessment(input({ employmentPayPence: pence(125_140) }));
    expect(estimate.personalAllowancePence).toBe(0);
    expect(estimate.taxableIncomePence).toBe(pence(125_140));
    expect(estimate.incomeTaxBands.map((line) => line.name)).toEqual(['Basic rate', 'Higher rate']);
    expect(estimate.incomeTaxPence).toBe(pence(42_516));
  });

  it('charges the additional rate of 45% on income above £125,140, with no allowance', () => {
    const estimate = estimateSelfAssessment(input({ employmentPayPence: pence(150_000) }));
    expect(estimate.personalAllowancePence).toBe(0);
    expect(estimate.incomeTaxBands).toEqual([
      { name: 'Basic rate', ratePercent: 20, taxablePence: pence(37_700), taxPence: pence(7_540) },
      { name: 'Higher rate', ratePercent: 40, taxablePence: pence(87_440), taxPence: pence(34_976) },
      { name: 'Additional rate', ratePercent: 45, taxablePence: pence(24_860), taxPence: pence(11_187) },
    ]);
    expect(estimate.incomeTaxPence).toBe(pence(53_703));
  });

  it('counts self-employment and property profit towards the income that tapers the allowance', () => {
    const estimate = estimateSelfAssessment(
      input({
        employmentPayPence: pence(90_000),
        selfEmploymentTurnoverPence: pence(15_000),
        selfEmploymentExpensesPence: pence(5_000),
        propertyIncomePence: pence(11_000),
        propertyExpensesPence: pence(1_000),
      }),
    );
    expect(estimate.totalIncomePence).toBe(pence(110_000));
    expect(estimate.personalAllowancePence).toBe(pence(7_570));
  });
});

describe('Scottish Income Tax', () => {
  it('keeps the Scottish bands the same size when the allowance is tapered, so each rate starts at a lower income', () => {
    const estimate = estimateSelfAssessment(
      input({ scottishTaxpayer: true, employmentPayPence: pence(110_000) }),
    );
    expect(estimate.personalAllowancePence).toBe(pence(7_570));
    expect(estimate.incomeTaxBands).toEqual([
      { name: 'Starter rate', ratePercent: 19, taxablePence: pence(2_306), taxPence: pence(438.14) },
      { name: 'Basic rate', ratePercent: 20, taxablePence: pence(11_685), taxPence: pence(2_337) },
      { name: 'Intermediate rate', ratePercent: 21, taxablePence: pence(17_101), taxPence: pence(3_591.21) },
      { name: 'Higher rate', ratePercent: 42, taxablePence: pence(31_338), taxPence: pence(13_161.96) },
      { name: 'Advanced rate', ratePercent: 45, taxablePence: pence(40_000), taxPence: pence(18_000) },
    ]);
    expect(estimate.incomeTaxPence).toBe(pence(37_528.31));
  });

  it('uses the 2023-24 table, with no advanced band and a 47% top rate above £125,140', () => {
    const estimate = estimateSelfAssessment(
      input({ taxYear: '2023-24', scottishTaxpayer: true, employmentPayPence: pence(150_000) }),
    );
    expect(estimate.personalAllowancePence).toBe(0);
    expect(estimate.incomeTaxBands).toEqual([
      { name: 'Starter rate', ratePercent: 19, taxablePence: pence(2_162), taxPence: pence(410.78) },
      { name: 'Basic rate', ratePercent: 20, taxablePence: pence(10_956), taxPence: pence(2_191.2) },
      { name: 'Intermediate rate', ratePercent: 21, taxablePence: pence(17_974), taxPence: pence(3_774.54) },
      { name: 'Higher rate', ratePercent: 42, taxablePence: pence(94_048), taxPence: pence(39_500.16) },
      { name: 'Top rate', ratePercent: 47, taxablePence: pence(24_860), taxPence: pence(11_684.2) },
    ]);
    expect(estimate.incomeTaxPence).toBe(pence(57_560.88));
  });

  it('uses the 2025-26 table, where the starter band ends at £15,397 of total income', () => {
    const estimate = estimateSelfAssessment(fortyThousandProfit('2025-26', true));
    expect(estimate.incomeTaxBands).toEqual([
      { name: 'Starter rate', ratePercent: 19, taxablePence: pence(2_827), taxPence: pence(537.13) },
      { name: 'Basic rate', ratePercent: 20, taxablePence: pence(12_094), taxPence: pence(2_418.8) },
      { name: 'Intermediate rate', ratePercent: 21, taxablePence: pence(12_509), taxPence: pence(2_626.89) },
    ]);
    expect(estimate.incomeTaxPence).toBe(pence(5_582.82));
  });

  it('charges the 48% top rate above £125,140 in 2024-25', () => {
    const estimate = estimateSelfAssessment(
      input({ scottishTaxpayer: true, employmentPayPence: pence(126_140) }),
    );
    expect(estimate.incomeTaxBands.at(-1)).toEqual({
      name: 'Top rate',
      ratePercent: 48,
      taxablePence: pence(1_000),
      taxPence: pence(480),
    });
  });
});

describe('the trading and property allowances', () => {
  it('uses the £1,000 trading allowance when expenses are under £1,000', () => {
    const estimate = estimateSelfAssessment(
      input({ selfEmploymentTurnoverPence: pence(20_000), selfEmploymentExpensesPence: pence(300) }),
    );
    expect(estimate.usedTradingAllowance).toBe(true);
    expect(estimate.selfEmploymentProfitPence).toBe(pence(19_000));
  });

  it('deducts actual expenses instead when they are £1,000 or more', () => {
    const atThreshold = estimateSelfAssessment(
      input({ selfEmploymentTurnoverPence: pence(20_000), selfEmploymentExpensesPence: pence(1_000) }),
    );
    expect(atThreshold.usedTradingAllowance).toBe(false);
    expect(atThreshold.selfEmploymentProfitPence).toBe(pence(19_000));

    const above = estimateSelfAssessment(
      input({ selfEmploymentTurnoverPence: pence(20_000), selfEmploymentExpensesPence: pence(2_500) }),
    );
    expect(above.usedTradingAllowance).toBe(false);
    expect(above.selfEmploymentProfitPence).toBe(pence(17_500));
  });

  it('makes turnover of £1,000 or less tax-free under the trading allowance', () => {
    const estimate = estimateSelfAssessment(input({ selfEmploymentTurnoverPence: pence(600) }));
    expect(estimate.usedTradingAllowance).toBe(true);
    expect(estimate.selfEmploymentProfitPence).toBe(0);
  });

  it('never lets self-employment profit go below zero when expenses exceed turnover', () => {
    const estimate = estimateSelfAssessment(
      input({
        employmentPayPence: pence(30_000),
        selfEmploymentTurnoverPence: pence(5_000),
        selfEmploymentExpensesPence: pence(8_000),
      }),
    );
    expect(estimate.selfEmploymentProfitPence).toBe(0);
    expect(estimate.totalIncomePence).toBe(pence(30_000));
  });

  it('uses the £1,000 property allowance when property expenses are under £1,000', () => {
    const estimate = estimateSelfAssessment(
      input({ propertyIncomePence: pence(10_000), propertyExpensesPence: pence(400) }),
    );
    expect(estimate.usedPropertyAllowance).toBe(true);
    expect(estimate.propertyProfitPence).toBe(pence(9_000));
  });

  it('deducts actual property expenses when they are larger than the allowance', () => {
    const estimate = estimateSelfAssessment(
      input({ propertyIncomePence: pence(10_000), propertyExpensesPence: pence(2_500) }),
    );
    expect(estimate.usedPropertyAllowance).toBe(false);
    expect(estimate.propertyProfitPence).toBe(pence(7_500));
  });

  it('never lets property profit go below zero', () => {
    const small = estimateSelfAssessment(input({ propertyIncomePence: pence(800) }));
    expect(small.usedPropertyAllowance).toBe(true);
    expect(small.propertyProfitPence).toBe(0);

    const loss = estimateSelfAssessment(
      input({ propertyIncomePence: pence(3_000), propertyExpensesPence: pence(4_000) }),
    );
    expect(loss.usedPropertyAllowance).toBe(false);
    expect(loss.propertyProfitPence).toBe(0);
  });

  it('charges income tax but no National Insurance on property profit', () => {
    const estimate = estimateSelfAssessment(input({ propertyIncomePence: pence(20_000) }));
    expect(estimate.propertyProfitPence).toBe(pence(19_000));
    expect(estimate.incomeTaxPence).toBe(pence(1_286));
    expect(estimate.class4NationalInsurancePence).toBe(0);
    expect(estimate.class2NationalInsurancePence).toBe(0);
  });
});

describe('National Insurance for the self-employed', () => {
  it('adds Class 4 at 2% on profit above the £50,270 upper profits limit', () => {
    const estimate = estimateSelfAssessment(input({ selfEmploymentTurnoverPence: pence(61_000) }));
    expect(estimate.selfEmploymentProfitPence).toBe(pence(60_000));
    // 37,700 × 6% = 2,262.00 and 9,730 × 2% = 194.60
    expect(estimate.class4NationalInsurancePence).toBe(pence(2_456.6));
  });

  it('charges no Class 4 on employment income', () => {
    const estimate = estimateSelfAssessment(input({ employmentPayPence: pence(60_000) }));
    expect(estimate.class4NationalInsurancePence).toBe(0);
    expect(estimate.class2NationalInsurancePence).toBe(0);
  });

  it('charges no Class 4 on profit up to the £12,570 lower profits limit', () => {
    const estimate = estimateSelfAssessment(input({ selfEmploymentTurnoverPence: pence(13_570) }));
    expect(estimate.selfEmploymentProfitPence).toBe(pence(12_570));
    expect(estimate.class4NationalInsurancePence).toBe(0);
  });

  it('charges 2023-24 Class 2 from exactly £12,570 of profit, and nothing below it', () => {
    const atLimit = estimateSelfAssessment(
      input({ taxYear: '2023-24', selfEmploymentTurnoverPence: pence(13_570) }),
    );
    expect(atLimit.class2NationalInsurancePence).toBe(pence(179.4));

    const treatedAsPaid = estimateSelfAssessment(
      input({ taxYear: '2023-24', selfEmploymentTurnoverPence: pence(11_000) }),
    );
    expect(treatedAsPaid.class2NationalInsurancePence).toBe(0);

    const belowSmallProfitsThreshold = estimateSelfAssessment(
      input({ taxYear: '2023-24', selfEmploymentTurnoverPence: pence(5_000) }),
    );
    expect(belowSmallProfitsThreshold.class2NationalInsurancePence).toBe(0);
  });

  it('charges no Class 2 from 2024-25 at any level of profit', () => {
    for (const taxYear of ['2024-25', '2025-26'] as const) {
      for (const turnover of [5_000, 10_000, 60_000]) {
        const estimate = estimateSelfAssessment(
          input({ taxYear, selfEmploymentTurnoverPence: pence(turnover) }),
        );
        expect(estimate.class2NationalInsurancePence).toBe(0);
      }
    }
  });
});

describe('rounding', () => {
  it('rounds each band to the nearest penny with halves rounded up', () => {
    // Profit £12,570.25: 25p of Class 4 at 6% is 1.5p, which rounds up to 2p.
    const halfUp = estimateSelfAssessment(
      input({ selfEmploymentTurnoverPence: pence(13_570.25), selfEmploymentExpensesPence: pence(1_000) }),
    );
    expect(halfUp.selfEmploymentProfitPence).toBe(pence(12_570.25));
    expect(halfUp.class4NationalInsurancePence).toBe(2);
    expect(halfUp.incomeTaxPence).toBe(5);

    // A Scottish starter-rate slice of 50p at 19% is 9.5p, which rounds up to 10p.
    const scottish = estimateSelfAssessment(
      input({ scottishTaxpayer: true, employmentPayPence: pence(12_570.5) }),
    );
    expect(scottish.incomeTaxBands).toEqual([
      { name: 'Starter rate', ratePercent: 19, taxablePence: 50, taxPence: 10 },
    ]);

    // 2p at 19% is 0.38p, which rounds down to nothing.
    const down = estimateSelfAssessment(
      input({ scottishTaxpayer: true, employmentPayPence: pence(12_570.02) }),
    );
    expect(down.incomeTaxPence).toBe(0);
  });
});

describe('tax already paid and the balance', () => {
  it('takes PAYE already paid off the balance', () => {
    const estimate = estimateSelfAssessment(
      input({
        employmentPayPence: pence(30_000),
        employmentTaxPaidPence: pence(3_486),
        selfEmploymentTurnoverPence: pence(11_000),
      }),
    );
    expect(estimate.totalIncomePence).toBe(pence(40_000));
    expect(estimate.totalTaxAndNationalInsurancePence).toBe(pence(5_486));
    expect(estimate.alreadyPaidPence).toBe(pence(3_486));
    expect(estimate.balancePence).toBe(pence(2_000));
  });

  it('gives a negative balance (a repayment) when more was paid than is due', () => {
    const estimate = estimateSelfAssessment(
      input({ employmentPayPence: pence(20_000), employmentTaxPaidPence: pence(2_000) }),
    );
    expect(estimate.totalTaxAndNationalInsurancePence).toBe(pence(1_486));
    expect(estimate.balancePence).toBe(pence(-514));
  });
});

describe('no income', () => {
  it.each(TAX_YEARS)('gives zero everywhere except the unused Personal Allowance in %s', (taxYear) => {
    for (const scottishTaxpayer of [false, true]) {
      expect(estimateSelfAssessment(input({ taxYear, scottishTaxpayer }))).toEqual({
        taxYear,
        selfEmploymentProfitPence: 0,
        usedTradingAllowance: false,
        propertyProfitPence: 0,
        usedPropertyAllowance: false,
        totalIncomePence: 0,
        personalAllowancePence: pence(12_570),
        taxableIncomePence: 0,
        incomeTaxBands: [],
        incomeTaxPence: 0,
        class4NationalInsurancePence: 0,
        class2NationalInsurancePence: 0,
        totalTaxAndNationalInsurancePence: 0,
        alreadyPaidPence: 0,
        balancePence: 0,
      });
    }
  });
});

describe('invalid input', () => {
  const amountFields = [
    'employmentPayPence',
    'employmentTaxPaidPence',
    'selfEmploymentTurnoverPence',
    'selfEmploymentExpensesPence',
    'propertyIncomePence',
    'propertyExpensesPence',
  ] as const;

  it.each(amountFields)('rejects a negative %s with a RangeError', (field) => {
    expect(() => estimateSelfAssessment(input({ [field]: -1 }))).toThrow(RangeError);
  });

  it.each(amountFields)('rejects a non-integer %s with a RangeError', (field) => {
    expect(() => estimateSelfAssessment(input({ [field]: 100.5 }))).toThrow(RangeError);
  });

  it('rejects amounts that are not finite numbers with a RangeError', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, '100', null]) {
      const badInput = { ...input(), employmentPayPence: bad } as unknown as EstimateInput;
      expect(() => estimateSelfAssessment(badInput)).toThrow(RangeError);
    }
  });

  it('rejects an unknown tax year with a RangeError', () => {
    for (const bad of ['2022-23', '2026-27', '', undefined]) {
      const badInput = { ...input(), taxYear: bad } as unknown as EstimateInput;
      expect(() => estimateSelfAssessment(badInput)).toThrow(RangeError);
    }
  });

  it('rejects a Scottish-taxpayer flag that is not true or false with a RangeError', () => {
    const badInput = { ...input(), scottishTaxpayer: 'yes' } as unknown as EstimateInput;
    expect(() => estimateSelfAssessment(badInput)).toThrow(RangeError);
  });

  it('rejects amounts whose total is too large to add up exactly with a RangeError', () => {
    const huge = input({
      employmentPayPence: Number.MAX_SAFE_INTEGER,
      propertyIncomePence: Number.MAX_SAFE_INTEGER,
    });
    expect(() => estimateSelfAssessment(huge)).toThrow(RangeError);
  });
});
