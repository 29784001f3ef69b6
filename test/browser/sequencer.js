// Runs the browser suites in a fixed order and the route coverage test last: it reads what the others visited.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = 'route-coverage.test.ts';

class BrowserSuiteSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => {
      const aLast = a.path.endsWith(LAST);
      const bLast = b.path.endsWith(LAST);
      if (aLast !== bLast) return aLast ? 1 : -1;
      return a.path.localeCompare(b.path);
    });
  }
}

module.exports = BrowserSuiteSequencer;
