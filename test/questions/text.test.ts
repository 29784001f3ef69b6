import type { TextQuestion } from '../../src/definitions/types';
import type { FormBody, ViewContext } from '../../src/questions/question-type';
import { text } from '../../src/questions/text';

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, caption: 'About you', renderNested: () => '' };

const fullName: TextQuestion = {
  type: 'text',
  id: 'fullName',
  label: 'What is your full name?',
  name: 'your full name',
  hint: 'As it appears on your passport',
  autocomplete: 'name',
  spellcheck: false,
};

const answer = (q: TextQuestion, body: FormBody) => text.parse(q, text.read(q, body), today);

describe('text question', () => {
  describe('required and optional', () => {
    it.each([
      ['missing', {}],
      ['empty', { fullName: '' }],
      ['only spaces', { fullName: '   ' }],
      ['only invisible characters', { fullName: '\u200b\ufeff\u202e' }],
      ['only control characters', { fullName: '\u0000\u0007' }],
    ])('asks the person to enter it when the answer is %s', (_what, body) => {
      expect(answer(fullName, body)).toEqual({
        ok: false,
        errors: [{ questionId: 'fullName', fieldId: 'fullName', text: 'Enter your full name' }],
      });
    });

    it('gives undefined for an optional question left blank', () => {
      expect(answer({ ...fullName, optional: true }, { fullName: '  ' })).toEqual({
        ok: true,
        value: undefined,
      });
    });

    it('uses the messages override for the required error', () => {
      const q = { ...fullName, messages: { required: 'Enter your name as it appears on your passport' } };
      expect(answer(q, {})).toMatchObject({
        ok: false,
        errors: [{ text: 'Enter your name as it appears on your passport' }],
      });
    });
  });

  describe('normalisation', () => {
    it.each([
      ['surrounding spaces', '  Jane Smith  ', 'Jane Smith'],
      ['a pasted line break', 'Jane\r\nSmith', 'Jane Smith'],
      ['a tab', 'Jane\tSmith', 'Jane Smith'],
      ['a zero-width space', 'Ja\u200bne', 'Jane'],
      ['a bidi override', '\u202eJane', 'Jane'],
      ['a NUL', 'Ja\u0000ne', 'Jane'],
      ['a decomposed accent', 'Rene\u0301e', 'Ren\u00e9e'],
    ])('stores the answer trimmed and cleaned: %s', (_what, input, value) => {
      expect(answer(fullName, { fullName: input })).toEqual({ ok: true, value });
    });

    it('stores a composed é and a decomposed e + accent as the same NFC string', () => {
      const composed = answer(fullName, { fullName: 'Ren\u00e9e' });
      const decomposed = answer(fullName, { fullName: 'Rene\u0301e' });
      expect(composed).toEqual({ ok: true, value: 'Ren\u00e9e' });
      expect(decomposed).toEqual(composed);
    });
  });

  describe('length', () => {
    it.each([
      ['the default of 200', fullName, 'a'.repeat(201), 'Full name must be 200 characters or less'],
      [
        'a set maximum',
        { ...fullName, maxLength: 35 },
        'a'.repeat(36),
        'Full name must be 35 characters or less',
      ],
      ['a minimum', { ...fullName, minLength: 2 }, 'a', 'Full name must be 2 characters or more'],
      [
        'an exact length, when too short',
        { ...fullName, minLength: 8, maxLength: 8 },
        '0123456',
        'Full name must be 8 characters',
      ],
      [
        'an exact length, when too long',
        { ...fullName, minLength: 8, maxLength: 8 },
        '012345678',
        'Full name must be 8 characters',
      ],
    ])('refuses an answer outside %s', (_what, q, input, message) => {
      expect(answer(q, { fullName: input })).toEqual({
        ok: false,
        errors: [{ questionId: 'fullName', fieldId: 'fullName', text: message }],
      });
    });

    it.each([
      ['exactly the maximum', 'a'.repeat(200)],
      ['200 astral characters, which are 400 UTF-16 code units', '𝒜'.repeat(200)],
    ])('accepts %s', (_what, input) => {
      expect(answer(fullName, { fullName: input })).toEqual({ ok: true, value: input });
    });

    it('counts the length after trimming and cleaning', () => {
      const input = `  ${'a'.repeat(200)}\u200b\u200b  `;
      expect(answer(fullName, { fullName: input })).toEqual({ ok: true, value: 'a'.repeat(200) });
    });

    it.each([
      ['tooLong', { ...fullName, maxLength: 3 }, 'abcd', 'Your name is too long'],
      ['tooShort', { ...fullName, minLength: 3 }, 'ab', 'Your name is too short'],
    ])('uses the %s messages override', (rule, q, input, message) => {
      expect(answer({ ...q, messages: { [rule]: message } }, { fullName: input })).toMatchObject({
        ok: false,
        errors: [{ text: message }],
      });
    });
  });

  describe('view', () => {
    it('makes the label the page heading when it is the only question', () => {
      const { component, params } = text.view(fullName, { fullName: 'Jane' }, [], heading);
      expect(component).toBe('input');
      expect(params).toMatchObject({
        id: 'fullName',
        name: 'fullName',
        value: 'Jane',
        label: { classes: 'govuk-label--l', isPageHeading: true },
        hint: { text: 'As it appears on your passport' },
        autocomplete: 'name',
        spellcheck: false,
      });
      const label = params.label as { html: string };
      expect(label.html).toContain('What is your full name?');
      expect(label.html).toContain('<span class="govuk-caption-l">About you</span>');
      expect(params.errorMessage).toBeUndefined();
    });

    it('uses a medium label, not a heading, among several questions', () => {
      const { params } = text.view(fullName, {}, [], inline);
      expect(params.label).toEqual({ text: 'What is your full name?', classes: 'govuk-label--m' });
      expect(params.value).toBe('');
    });

    it('appends "(optional)" to an optional question', () => {
      const q = { ...fullName, optional: true };
      expect(text.view(q, {}, [], inline).params.label).toMatchObject({
        text: 'What is your full name? (optional)',
      });
      expect((text.view(q, {}, [], heading).params.label as { html: string }).html).toContain(
        'What is your full name? (optional)',
      );
    });

    it('escapes the label and caption when they become HTML in the heading', () => {
      const q = { ...fullName, label: 'Name <b>now</b>' };
      const html = (
        text.view(q, {}, [], { ...heading, caption: '<i>x</i>' }).params.label as { html: string }
      ).html;
      expect(html).not.toContain('<b>');
      expect(html).not.toContain('<i>');
      expect(html).toContain('&lt;b&gt;');
    });

    it('has no hint when the question has none', () => {
      const { hint: _hint, ...noHint } = fullName;
      expect(text.view(noHint, {}, [], inline).params.hint).toBeUndefined();
    });

    it('attaches the error message to the input', () => {
      const errors = [{ questionId: 'fullName', fieldId: 'fullName', text: 'Enter your full name' }];
      expect(text.view(fullName, {}, errors, inline).params.errorMessage).toEqual({
        text: 'Enter your full name',
      });
    });

    it.each([
      [10, 'govuk-input--width-10'],
      ['two-thirds', 'govuk-!-width-two-thirds'],
      ['full', 'govuk-!-width-full'],
    ] as const)('sets a width of %j as the class %s', (width, classes) => {
      expect(text.view({ ...fullName, width }, {}, [], inline).params.classes).toBe(classes);
    });
  });

  describe('stored answers', () => {
    it.each([['Jane Smith'], ['Ren\u00e9e O’Brien'], ['𝒜lice'], ['<script>alert(1)</script>']])(
      'round-trips %j through toRaw and parse',
      (value) => {
        expect(text.parse(fullName, text.toRaw(fullName, value), today)).toEqual({ ok: true, value });
      },
    );

    it('displays the answer as it was stored', () => {
      expect(text.display(fullName, 'Jane Smith')).toBe('Jane Smith');
    });
  });
});
