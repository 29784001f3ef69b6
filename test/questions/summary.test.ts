import { inSentence } from '../../src/questions/summary';

describe('the hidden text of a Change link', () => {
  it.each([
    ['Date of birth', 'date of birth'],
    ['Registered keeper', 'registered keeper'],
    ['Name', 'name'],
    ['UK tax taken off pay', 'UK tax taken off pay'],
    ['National Insurance number', 'National Insurance number'],
    ['Blue Badge number', 'Blue Badge number'],
    ['VIN', 'VIN'],
    ['Scottish taxpayer', 'Scottish taxpayer'],
    ['PAYE reference', 'PAYE reference'],
  ])('reads %j as %j after "Change"', (label, text) => {
    expect(inSentence(label)).toBe(text);
  });
});
