import type { CheckboxesQuestion } from '../definitions/types';
import { cleanText } from './sanitise';
import {
  errorFor,
  fail,
  hintParams,
  legendParams,
  message,
  rawList,
  stringListField,
  type QuestionTypeModule,
} from './question-type';

const allValues = (q: CheckboxesQuestion) => [
  ...q.options.map((o) => o.value),
  ...(q.exclusiveOption ? [q.exclusiveOption.value] : []),
];

/** Several choices, stored as the chosen option values in the order the options are listed. */
export const checkboxes: QuestionTypeModule<CheckboxesQuestion, readonly string[]> = {
  read: (q, body) => ({
    // More values than options can only be forged; cap before doing any work on them.
    [q.id]: stringListField(body, q.id)
      .slice(0, allValues(q).length + 1)
      .map((v) => cleanText(v).slice(0, 200)),
  }),
  parse(q, raw) {
    const chosen = rawList(raw, q.id).filter((v) => v !== '');
    if (chosen.length === 0) {
      return q.optional
        ? { ok: true, value: undefined }
        : fail(q, q.id, message(q, 'required', `Select ${q.name}`));
    }
    const known = allValues(q);
    if (chosen.some((v) => !known.includes(v))) {
      return fail(q, q.id, message(q, 'required', `Select ${q.name}`));
    }
    if (q.exclusiveOption && chosen.includes(q.exclusiveOption.value) && chosen.length > 1) {
      return fail(
        q,
        q.id,
        message(q, 'exclusive', `Select ${q.name}, or select ‘${q.exclusiveOption.text}’`),
      );
    }
    return { ok: true, value: known.filter((v) => chosen.includes(v)) };
  },
  toRaw: (q, value) => ({ [q.id]: value }),
  view(q, raw, errors, context) {
    const chosen = rawList(raw, q.id);
    const items: Record<string, unknown>[] = q.options.map((o, i) => ({
      id: i === 0 ? q.id : `${q.id}-${i + 1}`,
      value: o.value,
      text: o.text,
      hint: o.hint ? { text: o.hint } : undefined,
    }));
    if (q.exclusiveOption) {
      items.push({ divider: 'or' });
      items.push({
        id: `${q.id}-${q.options.length + 1}`,
        value: q.exclusiveOption.value,
        text: q.exclusiveOption.text,
        behaviour: 'exclusive',
      });
    }
    return {
      component: 'checkboxes',
      params: {
        idPrefix: q.id,
        name: q.id,
        values: chosen,
        fieldset: { legend: legendParams(q, context) },
        hint: hintParams(q) ?? { text: 'Select all that apply' },
        errorMessage: errorFor(errors, q.id),
        items,
      },
    };
  },
  display: (q, value) =>
    value.map(
      (v) =>
        q.options.find((o) => o.value === v)?.text ??
        (q.exclusiveOption?.value === v ? q.exclusiveOption.text : v),
    ),
};
