import type { AnswerValue, Question, QuestionType } from '../definitions/types';
import type { QuestionTypeModule } from './question-type';
import { text } from './text';
import { textarea } from './textarea';
import { number } from './number';
import { money } from './money';
import { date } from './date';
import { radios, yesNo } from './radios';
import { checkboxes } from './checkboxes';
import { address } from './address';
import { file } from './file';
import {
  email,
  nationalInsuranceNumber,
  phone,
  postcode,
  utr,
  vehicleRegistration,
  vin,
} from './identifiers';

/** Every question type the engine knows. The registry refuses definitions using any other. */
export const QUESTION_TYPES: Readonly<{
  [K in QuestionType]: QuestionTypeModule<Extract<Question, { type: K }>, AnswerValue>;
}> = {
  text,
  textarea,
  number,
  money,
  date,
  radios,
  checkboxes,
  'yes-no': yesNo,
  email,
  phone,
  postcode,
  address,
  'national-insurance-number': nationalInsuranceNumber,
  utr,
  'vehicle-registration': vehicleRegistration,
  vin,
  file,
};

export function questionType(question: Question): QuestionTypeModule {
  const module = QUESTION_TYPES[question.type];
  if (!module) throw new Error(`Unknown question type "${(question as { type: string }).type}"`);
  return module as unknown as QuestionTypeModule;
}
