import type { Option, RadiosQuestion, YesNoQuestion } from '../definitions/types';
import { cleanText } from './sanitise';
import {
  errorFor,
  fail,
  hintParams,
  legendParams,
  message,
  rawString,
  stringField,
  type QuestionTypeModule,
  type ViewContext,
} from './question-type';

/** The option chosen on a radios question, if the answer is one of its options. */
export const chosenOption = (options: readonly Option[], value: unknown): Option | undefined =>
  options.find((o) => o.value === value);

function radiosModule<Q extends RadiosQuestion | YesNoQuestion>(
  optionsOf: (q: Q) => readonly Option[],
  extraParams: (q: Q) => Record<string, unknown>,
): QuestionTypeModule<Q, string> {
  return {
    read: (q, body) => ({ [q.id]: cleanText(stringField(body, q.id)).slice(0, 200) }),
    parse(q, raw) {
      const value = rawString(raw, q.id);
      if (value === '' && q.optional) return { ok: true, value: undefined };
      // Anything that is not one of the options (a forged value, an array) is treated as no choice.
      if (!chosenOption(optionsOf(q), value)) {
        return fail(q, `${q.id}`, message(q, 'required', `Select ${q.name}`));
      }
      return { ok: true, value };
    },
    toRaw: (q, value) => ({ [q.id]: value }),
    view(q, raw, errors, context: ViewContext) {
      const value = rawString(raw, q.id);
      return {
        component: 'radios',
        params: {
          idPrefix: q.id,
          name: q.id,
          value,
          fieldset: { legend: legendParams(q, context) },
          hint: hintParams(q),
          errorMessage: errorFor(errors, q.id),
          ...extraParams(q),
          items: optionsOf(q).map((o, i) => {
            const nested = o.conditional ? context.nested?.[o.conditional.id] : undefined;
            return {
              // The first radio carries the question id, so the error summary's #id link lands on it.
              id: i === 0 ? q.id : `${q.id}-${i + 1}`,
              value: o.value,
              text: o.text,
              hint: o.hint ? { text: o.hint } : undefined,
              conditional: o.conditional
                ? { html: context.renderNested(o.conditional, nested?.raw ?? {}, nested?.errors ?? []) }
                : undefined,
            };
          }),
        },
      };
    },
    display: (q, value) => chosenOption(optionsOf(q), value)?.text ?? value,
  };
}

export const radios = radiosModule<RadiosQuestion>(
  (q) => q.options,
  (q) => ({
    classes:
      [q.inline ? 'govuk-radios--inline' : '', q.small ? 'govuk-radios--small' : ''].join(' ').trim() ||
      undefined,
  }),
);

const YES_NO: readonly Option[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

export const yesNo = radiosModule<YesNoQuestion>(
  () => YES_NO,
  () => ({ classes: 'govuk-radios--inline' }),
);
