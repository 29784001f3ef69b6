import { oldestText } from '../../src/performance/view-model';

describe('the oldest open application, as the performance pages say it', () => {
  it('reads as an age when it is published', () => {
    expect(oldestText({ open_cases: 12, oldest_open_received: '2026-11-02', oldest_open_age_days: 27 })).toBe(
      '27 calendar days (received 2 November 2026)',
    );
  });

  it('says it is not published when fewer than 10 applications are open, not "Fewer than 10" as if it were a count', () => {
    expect(oldestText({ open_cases: null, oldest_open_received: null, oldest_open_age_days: null })).toBe(
      'Not published (fewer than 10 open applications)',
    );
  });

  it('says there are none when nothing is open', () => {
    expect(oldestText({ open_cases: 0, oldest_open_received: null, oldest_open_age_days: null })).toBe(
      'No open applications',
    );
  });
});
