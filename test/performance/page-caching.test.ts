import nunjucks from 'nunjucks';
import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock } from '../helpers/journey';
import { parseHtml } from '../helpers/html';

// The published performance pages are the same for everyone: each is rendered once per report (the report
// cache hands out one report object per period until it expires) and sent from the page cache after that.

let t: TestApp;
beforeAll(async () => {
  t = await appWith({ PERFORMANCE_CACHE_SECONDS: '300' }, { clock: fixedClock });
});
afterAll(() => t.close());

const nonceOf = (html: string) => parseHtml(html)('script[nonce]').attr('nonce');
const withoutNonce = (html: string, nonce: string) => html.split(nonce).join('NONCE');

describe('the published performance pages', () => {
  it.each(['/performance', '/performance/register-a-vehicle'])(
    'are sent from the page cache with a fresh CSP nonce each time (%s)',
    async (path) => {
      const first = await request(t.app).get(path).expect(200);
      const render = jest.spyOn(nunjucks.Environment.prototype, 'render');
      const second = await request(t.app).get(path).expect(200);
      expect(render).not.toHaveBeenCalled();
      render.mockRestore();
      const [a, b] = [nonceOf(first.text)!, nonceOf(second.text)!];
      expect(a).toBeTruthy();
      expect(a).not.toBe(b);
      expect(first.headers['content-security-policy']).toContain(`'nonce-${a}'`);
      expect(second.headers['content-security-policy']).toContain(`'nonce-${b}'`);
      expect(withoutNonce(second.text, b)).toBe(withoutNonce(first.text, a));
    },
  );

  it('keep one page per period: another period shows its own figures', async () => {
    const twelve = await request(t.app).get('/performance/register-a-vehicle?months=12').expect(200);
    const three = await request(t.app).get('/performance/register-a-vehicle?months=3').expect(200);
    const periodOf = (html: string) =>
      parseHtml(html)('main')
        .text()
        .match(/\d{1,2} \w+ \d{4} to \d{1,2} \w+ \d{4}/)?.[0];
    expect(periodOf(twelve.text)).toBeDefined();
    expect(periodOf(twelve.text)).not.toBe(periodOf(three.text));
    const again = await request(t.app).get('/performance/register-a-vehicle?months=12').expect(200);
    expect(periodOf(again.text)).toBe(periodOf(twelve.text));
  });
});
