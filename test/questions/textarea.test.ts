import type { TextareaQuestion } from '../../src/definitions/types';
import type { FormBody, ViewContext } from '../../src/questions/question-type';
import { textarea } from '../../src/questions/textarea';

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

const details: TextareaQuestion = {
  type: 'textarea',
  id: 'details',
  label: 'Describe the problem',
  name: 'a description of the problem',
  hint: 'Do not include personal information',
  maxLength: 500,
};

const answer = (q: TextareaQuestion, body: FormBody) => textarea.parse(q, textarea.read(q, body), today);

describe('textarea question', () => {
  describe('required and optional', () => {
    it.each([
      ['missing', {}],
      ['empty', { details: '' }],
      ['only blank lines', { details: '\r\n\r\n  \r\n' }],
      ['only invisible characters', { details: '\u200b\ufeff' }],
    ])('asks the person to enter it when the answer is %s', (_what, body) => {
      expect(answer(details, body)).toEqual({
        ok: false,
        errors: [{ questionId: 'details', fieldId: 'details', text: 'Enter a description of the problem' }],
      });
    });

    it('gives undefined for an optional question left blank', () => {
      expect(answer({ ...details, optional: true }, { details: '\r\n' })).toEqual({
        ok: true,
        value: undefined,
      });
    });

    it('uses the messages override for the required error', () => {
      const q = { ...details, messages: { required: 'Tell us what went wrong' } };
      expect(answer(q, {})).toMatchObject({ ok: false, errors: [{ text: 'Tell us what went wrong' }] });
    });
  });

  describe('normalisation', () => {
    it.each([
      ['CRLF line breaks become LF', 'first\r\nsecond', 'first\nsecond'],
      ['blank lines between paragraphs are kept', 'first\r\n\r\nsecond', 'first\n\nsecond'],
      ['surrounding blank lines are trimmed', '\r\n  first  \r\n', 'first'],
      ['control characters are removed', 'fi\u0000rst\u001b[31m', 'first[31m'],
      ['a decomposed accent is composed', 'cafe\u0301', 'caf\u00e9'],
    ])('%s', (_what, input, value) => {
      expect(answer(details, { details: input })).toEqual({ ok: true, value });
    });
  });

  describe('length', () => {
    it('refuses more than the maximum with the Design System message', () => {
      expect(answer(details, { details: 'a'.repeat(501) })).toEqual({
        ok: false,
        errors: [
          {
            questionId: 'details',
            fieldId: 'details',
            text: 'Description of the problem must be 500 characters or less',
          },
        ],
      });
    });

    it.each([
      ['exactly the maximum', 'a'.repeat(500)],
      ['500 astral characters (1,000 UTF-16 code units)', '𝒜'.repeat(500)],
      ['499 characters and a CRLF, which counts as one', `${'a'.repeat(250)}\r\n${'b'.repeat(249)}`],
    ])('accepts %s', (_what, input) => {
      expect(answer(details, { details: input }).ok).toBe(true);
    });

    it('uses the tooLong messages override', () => {
      const q = { ...details, maxLength: 3, messages: { tooLong: 'Keep it short' } };
      expect(answer(q, { details: 'abcd' })).toMatchObject({
        ok: false,
        errors: [{ text: 'Keep it short' }],
      });
    });
  });

  describe('view', () => {
    it('is a character count with the maximum, rows and the label as the page heading', () => {
      const { component, params } = textarea.view(details, { details: 'x' }, [], heading);
      expect(component).toBe('character-count');
      expect(params).toMatchObject({
        id: 'details',
        name: 'details',
        value: 'x',
        maxlength: 500,
        rows: 5,
        label: { classes: 'govuk-label--l', isPageHeading: true },
        hint: { text: 'Do not include personal information' },
        spellcheck: true,
      });
    });

    it('uses the rows set on the question', () => {
      expect(textarea.view({ ...details, rows: 8 }, {}, [], inline).params.rows).toBe(8);
    });

    it('appends "(optional)" to an optional question', () => {
      expect(textarea.view({ ...details, optional: true }, {}, [], inline).params.label).toEqual({
        text: 'Describe the problem (optional)',
        classes: 'govuk-label--m',
      });
    });

    it('attaches the error message', () => {
      const errors = [
        { questionId: 'details', fieldId: 'details', text: 'Enter a description of the problem' },
      ];
      expect(textarea.view(details, {}, errors, inline).params.errorMessage).toEqual({
        text: 'Enter a description of the problem',
      });
    });
  });

  describe('stored answers', () => {
    it.each([['one line'], ['first\nsecond'], ['first\n\n\tindented']])(
      'round-trips %j through toRaw and parse',
      (value) => {
        expect(textarea.parse(details, textarea.toRaw(details, value), today)).toEqual({ ok: true, value });
      },
    );

    it('displays each line separately', () => {
      expect(textarea.display(details, 'first\n\nsecond')).toEqual(['first', '', 'second']);
    });
  });
});
