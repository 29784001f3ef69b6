import type { ServiceDefinition } from '../../src/definitions/types';
import { pagesToSave, restoreDraft } from '../../src/drafts/restore';
import { shippedServices } from '../helpers/app';

// A draft saved on one version of a service, continued on another (src/drafts/restore.ts).

const vehicle = shippedServices().find('register-a-vehicle')!;
const saved = {
  version: vehicle.version,
  pages: pagesToSave(vehicle),
  state: {
    answers: {
      vin: 'WVWZZZ1JZXW000001',
      make: 'Volkswagen',
      model: 'Golf',
      firstRegistrationDate: '2019-03-03',
      fuelType: 'petrol',
    },
    completed: ['vehicle-identification-number', 'make-and-model', 'first-registration', 'fuel-type'],
  },
};

/** The vehicle service with one page's question reworded, as a new version. */
function withChangedPage(pageId: string): ServiceDefinition {
  return {
    ...vehicle,
    version: vehicle.version + 1,
    pages: vehicle.pages.map((p) =>
      p.id === pageId
        ? { ...p, questions: p.questions.map((q) => ({ ...q, label: `${q.label} (new wording)` })) }
        : p,
    ),
  };
}

describe('continuing a draft', () => {
  it('keeps everything on the same version of the service', () => {
    const restored = restoreDraft(vehicle, saved);
    expect(restored.answerAgain).toEqual([]);
    expect(restored.state).toEqual(saved.state);
  });

  it('keeps the pages asked exactly as before on a new version, and asks again the ones that changed', () => {
    const restored = restoreDraft(withChangedPage('make-and-model'), saved);
    expect(restored.state.completed).toEqual([
      'vehicle-identification-number',
      'first-registration',
      'fuel-type',
    ]);
    expect(restored.state.answers).toEqual({
      vin: 'WVWZZZ1JZXW000001',
      firstRegistrationDate: '2019-03-03',
      fuelType: 'petrol',
    });
    expect(restored.answerAgain).toEqual(["What is the vehicle's make and model?"]);
  });

  it('drops the answers of a page the new version no longer has, without asking for it again', () => {
    const gone = { id: 'trailer', questions: [{ id: 'trailer', type: 'text', label: 'Trailer' }] };
    const restored = restoreDraft(withChangedPage('fuel-type'), {
      ...saved,
      pages: [...saved.pages, gone as never],
      state: {
        answers: { ...saved.state.answers, trailer: 'yes' },
        completed: [...saved.state.completed, 'trailer'],
      },
    });
    expect(restored.state.answers).not.toHaveProperty('trailer');
    expect(restored.state.completed).not.toContain('trailer');
    expect(restored.answerAgain).toHaveLength(1);
  });
});
