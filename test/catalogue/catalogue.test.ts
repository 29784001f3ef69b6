import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock } from '../helpers/journey';
import { parseHtml } from '../helpers/html';

/** The service titles on a results page, in the order shown. */
const resultTitles = (html: string): string[] => {
  const $ = parseHtml(html);
  return $('main h3 a')
    .map((_i, a) => $(a).text().trim())
    .get();
};

/** The "N results for ‘…’" line a screen reader announces. */
const resultCountLine = (html: string): string =>
  parseHtml(html)('[role="status"]').text().replace(/\s+/g, ' ').trim();

describe('the catalogue of services', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('lists every shipped service under each of its topics, with a link, its agency and its processing target', async () => {
    const res = await request(t.app).get('/').expect(200);
    const $ = parseHtml(res.text);
    expect($('h1').text().trim()).toBe('Find a government service');

    const topicHeadings = $('main h2')
      .map((_i, h) => $(h).text().trim())
      .get();
    for (const service of t.registry.services) {
      for (const topic of service.topics) {
        expect(topicHeadings).toContain(topic);
        // The services listed between this topic's heading and the next one.
        const heading = $('main h2').filter((_i, h) => $(h).text().trim() === topic);
        const list = heading.nextUntil('h2');
        const link = list.find(`a[href="/services/${service.slug}"]`);
        expect({ topic, slug: service.slug, title: link.text().trim() }).toEqual({
          topic,
          slug: service.slug,
          title: service.title,
        });
        const card = link.closest('li').text().replace(/\s+/g, ' ');
        expect(card).toContain(service.agency.name);
        const days = service.processingTargetWorkingDays;
        expect(card).toContain(`${days} working ${days === 1 ? 'day' : 'days'}`);
      }
    }
    // No topic heading is shown without a service under it.
    for (const topic of topicHeadings) {
      expect(t.registry.services.some((s) => (s.topics as readonly string[]).includes(topic))).toBe(true);
    }
  });

  it('sets no cookie and creates no session, so browsing needs no consent', async () => {
    const before = await t.db('session').count<{ count: string | number }[]>('* as count');
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const search = await request(t.app).get('/search?q=vehicle').expect(200);
    expect(search.headers['set-cookie']).toBeUndefined();
    const after = await t.db('session').count<{ count: string | number }[]>('* as count');
    expect(Number(after[0]!.count)).toBe(Number(before[0]!.count));
    expect(Number(after[0]!.count)).toBe(0);
  });
});

describe('searching for a service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  const search = (q: string) => request(t.app).get('/search').query({ q });

  it('finds "Register a vehicle" when searching for vehicle', async () => {
    const res = await search('vehicle').expect(200);
    expect(resultTitles(res.text)).toContain('Register a vehicle');
    const $ = parseHtml(res.text);
    expect($('main a[href="/services/register-a-vehicle"]').length).toBe(1);
    expect($('h1').text().trim()).toBe('Search results');
    expect($('input#q').attr('value')).toBe('vehicle');
  });

  it('puts "File a Self Assessment tax return" first for tax return', async () => {
    const res = await search('tax return').expect(200);
    expect(resultTitles(res.text)[0]).toBe('File a Self Assessment tax return');
  });

  it('matches different forms of a word: registering finds the register services', async () => {
    const res = await search('registering').expect(200);
    const titles = resultTitles(res.text);
    expect(titles).toEqual(expect.arrayContaining(['Register a vehicle', 'Register to vote']));
  });

  it('matches a partial word', async () => {
    const res = await search('vehic').expect(200);
    expect(resultTitles(res.text)).toContain('Register a vehicle');
  });

  it('matches keywords that are not in the title', async () => {
    const vehicle = t.registry.find('register-a-vehicle')!;
    expect(vehicle.keywords).toContain('logbook');
    expect(vehicle.title.toLowerCase()).not.toContain('logbook');
    const res = await search('logbook').expect(200);
    expect(resultTitles(res.text)).toEqual(['Register a vehicle']);

    const fishing = t.registry.find('apply-for-a-rod-fishing-licence')!;
    expect(fishing.keywords).toContain('angling');
    const angling = await search('angling').expect(200);
    expect(resultTitles(angling.text)).toEqual(['Apply for a rod fishing licence']);
  });

  it.each([
    ['blu badge', 'Apply for a Blue Badge'],
    ['fising licence', 'Apply for a rod fishing licence'],
    ['self asessment', 'File a Self Assessment tax return'],
    ['regster a vehical', 'Register a vehicle'],
  ])('forgives the misspelling %j and finds %j first', async (query, title) => {
    const res = await search(query).expect(200);
    expect(resultTitles(res.text)[0]).toBe(title);
  });

  it('does not let typo tolerance match everything: an unrelated word still finds nothing', async () => {
    const res = await search('trampoline').expect(200);
    expect(resultTitles(res.text)).toEqual([]);
  });

  it('signposts a common service that lives elsewhere on GOV.UK instead of a dead end', async () => {
    const res = await search('renew my passport').expect(200);
    const $ = parseHtml(res.text);
    expect(resultTitles(res.text)).toEqual([]);
    expect($('main h2').text()).toContain('Other services on GOV.UK');
    expect($('main a[href="https://www.gov.uk/apply-renew-passport"]').text().trim()).toBe(
      'Apply for or renew a British passport',
    );
    expect($('main').text()).not.toContain('Try searching with different words');
  });

  it('says so when nothing matches, and suggests other words', async () => {
    const res = await search('xylophone').expect(200);
    expect(resultTitles(res.text)).toEqual([]);
    expect(resultCountLine(res.text)).toBe('0 results for ‘xylophone’');
    expect(parseHtml(res.text)('main').text()).toContain('Try searching with different words');
  });

  it('shows the search form without results for an empty query', async () => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%20']) {
      const res = await request(t.app).get(url).expect(200);
      const $ = parseHtml(res.text);
      expect($('h1').text().trim()).toBe('Search for a service');
      expect($('form[action="/search"] input[name="q"]').length).toBe(1);
      expect(resultTitles(res.text)).toEqual([]);
      expect($('[role="status"]').length).toBe(0);
      expect($('main').text()).not.toContain('Try searching with different words');
    }
  });

  it('echoes the query escaped, never as markup', async () => {
    const res = await search('<script>alert(1)</script>').expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const $ = parseHtml(res.text);
    expect($('input#q').attr('value')).toBe('<script>alert(1)</script>');
    expect(resultCountLine(res.text)).toBe('0 results for ‘<script>alert(1)</script>’');
  });

  describe('answers hostile queries with a page, never an error', () => {
    const hostile: [string, string][] = [
      ['a 10,000-character query', `/search?q=${'a'.repeat(10_000)}`],
      ['a 10,000-character query of words', `/search?q=${encodeURIComponent('tax '.repeat(2_500))}`],
      ['q[]=a', '/search?q[]=a'],
      ['q=a&q=b', '/search?q=a&q=b'],
      ['q[x]=a', '/search?q[x]=a'],
      ['a null byte', '/search?q=tax%00return'],
      ['only a null byte', '/search?q=%00'],
      ['SQL', `/search?q=${encodeURIComponent("'; drop table service;--")}`],
      ['tsquery syntax', `/search?q=${encodeURIComponent('!:* & | ( ) <-> "')}`],
      ['LIKE wildcards', `/search?q=${encodeURIComponent('%_\\')}`],
      ['<script>', `/search?q=${encodeURIComponent('<script>')}`],
      ['invalid UTF-8', '/search?q=%ED%A0%80'],
      ['a broken percent escape', '/search?q=%E0%A4%A'],
      ['a lone surrogate', '/search?q=%ED%A0%80vehicle'],
      [
        'an emoji cut in half by the length limit',
        `/search?q=${'a'.repeat(99)}${encodeURIComponent('🚗🚗')}`,
      ],
      ['a lone percent sign', '/search?q=%'],
      ['only invisible characters', `/search?q=${encodeURIComponent('\u200B\uFEFF\u202E')}`],
      ['invisible characters', `/search?q=${encodeURIComponent('\u200Bveh\u200Dicle\uFEFF')}`],
    ];

    it.each(hostile)('%s', async (_name, url) => {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const $ = parseHtml(res.text);
      expect($('form[action="/search"]').length).toBe(1);
      expect(res.text).not.toContain('<script>alert');
      expect($('main script').length).toBe(0);
    });

    it('keeps every service after a query that looks like SQL', async () => {
      const res = await search("'; drop table service;--").expect(200);
      expect(resultTitles(res.text)).toEqual([]);
      const rows = await t.db('service').pluck('slug');
      expect([...rows].sort()).toEqual(t.registry.services.map((s) => s.slug).sort());
      // And search still works afterwards.
      const after = await search('vehicle').expect(200);
      expect(resultTitles(after.text)).toContain('Register a vehicle');
    });

    it('ignores a query given as a list rather than guessing which one was meant', async () => {
      const res = await request(t.app).get('/search?q=vehicle&q=tax').expect(200);
      expect(resultTitles(res.text)).toEqual([]);
      expect(parseHtml(res.text)('h1').text().trim()).toBe('Search for a service');
    });

    it('treats LIKE wildcards as the characters themselves, not as "match anything"', async () => {
      for (const q of ['%', '_', '%%', '\\%']) {
        const res = await search(q).expect(200);
        expect({ q, titles: resultTitles(res.text) }).toEqual({ q, titles: [] });
      }
    });

    it('ignores invisible characters pasted into the query', async () => {
      const res = await search('\u200Bveh\u200Dicle\uFEFF').expect(200);
      expect(resultTitles(res.text)).toContain('Register a vehicle');
    });

    it('searches a null byte query as if the null byte were not there', async () => {
      const res = await request(t.app).get('/search?q=vehi%00cle').expect(200);
      expect(resultTitles(res.text)).toContain('Register a vehicle');
    });

    it('shortens a very long query instead of failing', async () => {
      const res = await request(t.app)
        .get(`/search?q=vehicle${'x'.repeat(10_000)}`)
        .expect(200);
      const value = parseHtml(res.text)('input#q').attr('value') ?? '';
      expect(value.startsWith('vehicle')).toBe(true);
      expect(value.length).toBeLessThanOrEqual(100);
    });
  });
});
