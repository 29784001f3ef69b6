import { formatPhone, parsePhone } from '../../../src/questions/formats/phone';

describe('parsePhone', () => {
  it.each([
    ['01632 960 001', '+441632960001', 'the Design System landline example (an Ofcom drama number)'],
    ['07700 900 982', '+447700900982', 'the Design System mobile example (an Ofcom drama number)'],
    ['+44 808 157 0192', '+448081570192', 'the Design System international example'],
    ['020 7946 0000', '+442079460000', 'a London Ofcom drama number'],
    ['020 7946 0999', '+442079460999', 'the last London Ofcom drama number'],
    ['01632 960999', '+441632960999', 'the last non-geographic Ofcom drama number'],
    ['07700900000', '+447700900000', 'the first mobile Ofcom drama number, without spaces'],
    ['+447700900982', '+447700900982', 'E.164 already'],
    ['+44 7700 900982', '+447700900982', '+44 and a mobile number'],
    ['0044 7700 900982', '+447700900982', '0044 and a mobile number'],
    ['00 44 20 7946 0000', '+442079460000', '00 44 with spaces'],
    ['+44 (0)20 7946 0000', '+442079460000', '+44 then (0)'],
    ['(020) 7946-0000', '+442079460000', 'brackets and a hyphen'],
    ['020.7946.0000', '+442079460000', 'full stops'],
    ['  07911 123456  ', '+447911123456', 'surrounding spaces'],
    ['07911\u00a0123456', '+447911123456', 'a non-breaking space'],
    ['0161 496 0000', '+441614960000', 'a Manchester number'],
    ['01534 123456', '+441534123456', 'a Jersey number'],
    ['+33 1 23 45 67 89', '+33123456789', 'a French number'],
    ['+1 202 555 0125', '+12025550125', 'a US number'],
  ])('accepts %j and stores %j: %s', (input, value) => {
    expect(parsePhone(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['07700 901 982', 'a mobile number just outside the Ofcom drama range'],
    ['01632 961 001', 'a non-geographic number just outside the Ofcom drama range'],
    ['07700 90098', 'a mobile number a digit short'],
    ['07700 900 982 1', 'a mobile number a digit long'],
    ['999', 'an emergency number'],
    ['12345', 'too few digits'],
    ['0800 FLOWERS', 'letters'],
    ['call 07700 900982 now', 'a number inside other text'],
    ['07911 123456 ext 123', 'an extension'],
    ['07911 123456#', 'a hash'],
    ['07911 +123456', 'a plus sign in the middle'],
    ['++447911123456', 'two plus signs'],
    ['\uff10\uff17\uff19\uff11\uff11 \uff11\uff12\uff13\uff14\uff15\uff16', 'full-width digits'],
    ['\u0660\u0667\u0669\u0661\u0661 \u0661\u0662\u0663\u0664\u0665\u0666', 'Arabic-Indic digits'],
    ['07911\u200b123456', 'a zero-width space'],
    ['07911 123456\r\nBcc: x', 'a new line and more text'],
    ['=HYPERLINK("x")', 'a spreadsheet formula'],
  ])('refuses %j, %s, as the wrong format', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['nothing', ''],
    ['spaces', '   '],
  ])('says %s is empty', (_label, input) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['101 digits', '0'.repeat(101)],
    ['10,000 characters of repeated numbers', '07700 900982 '.repeat(770)],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('refuses something that is not a string as the wrong format', () => {
    expect(parsePhone(['07700900982'] as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('formatPhone', () => {
  it.each([
    ['+447700900982', '07700 900982', 'a UK mobile number in national format'],
    ['+441632960001', '01632 960001', 'a UK landline number in national format'],
    ['+442079460000', '020 7946 0000', 'a London number in national format'],
    ['+448081570192', '0808 157 0192', 'a freephone number in national format'],
    ['+441534123456', '01534 123456', 'a Jersey number, which shares +44, in national format'],
    ['+33123456789', '+33 1 23 45 67 89', 'a French number in international format'],
    ['+12025550125', '+1 202 555 0125', 'a US number in international format'],
    ['not a number', 'not a number', 'a stored value it does not recognise unchanged'],
  ])('shows %j as %j: %s', (value, shown) => {
    expect(formatPhone(value)).toBe(shown);
  });
});
