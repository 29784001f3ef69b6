import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, fixedClock, postStep, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { tableContents } from '../helpers/db';
import blueBadgePaths from '../fixtures/journeys/apply-for-a-blue-badge';
import { EICAR, fixture } from '../uploads/fixtures';

// Hostile multipart bodies to an upload page (docs/security.md#bad-input-catalogue): broken framing, limits
// crossed, odd names and values. Each must get a GOV.UK page (a 4xx or the page again with an error) or a
// redirect on the site, never a 500; and only a clean, accepted file may ever be stored.

const SLUG = 'apply-for-a-blue-badge';
const PHOTO = `/services/${SLUG}/photo`;
const B = 'hostileBoundary7MA4YWxkTrZu0gW';

type Part = Readonly<{
  name: string;
  value?: string;
  filename?: string;
  type?: string;
  content?: Buffer;
  headers?: string[];
}>;

function multipart(parts: readonly Part[], { boundary = B, close = true } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.filename === undefined
        ? `form-data; name="${p.name}"`
        : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const headers = [
      `Content-Disposition: ${disposition}`,
      ...(p.type ? [`Content-Type: ${p.type}`] : []),
      ...(p.headers ?? []),
    ];
    chunks.push(Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`, 'utf8'));
    chunks.push(p.content ?? Buffer.from(p.value ?? '', 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const file = (filename: string, content: Buffer, type = 'image/jpeg'): Part => ({
  name: 'badgeHolderPhoto',
  filename,
  type,
  content,
});

describe('hostile multipart forms to an upload page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  async function onPhotoPage(): Promise<{ agent: Agent; token: string }> {
    const agent = request.agent(t.app);
    await agent.get(`/services/${SLUG}/start`);
    for (const step of blueBadgePaths[0]!.steps) {
      if (step.page === 'photo') break;
      await postStep(agent, `/services/${SLUG}/${step.page}`, step);
    }
    const page = await agent.get(PHOTO).expect(200);
    return { agent, token: csrfTokenIn(page.text) };
  }

  const CASES: readonly (readonly [string, (token: string) => { body: Buffer; contentType?: string }])[] = [
    [
      'no boundary in the content type',
      (tk) => ({ body: multipart([{ name: '_csrf', value: tk }]), contentType: 'multipart/form-data' }),
    ],
    [
      'a body that never closes',
      (tk) => ({
        body: multipart([{ name: '_csrf', value: tk }, file('a.jpg', fixture('photo.jpg'))], {
          close: false,
        }),
      }),
    ],
    ['garbage instead of parts', () => ({ body: Buffer.from('this is not multipart at all\r\n\r\n') })],
    [
      'two files',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          file('a.jpg', fixture('photo.jpg')),
          file('b.jpg', fixture('photo.jpg')),
        ]),
      }),
    ],
    [
      '30 fields',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          ...Array.from({ length: 30 }, (_v, i) => ({ name: `f${i}`, value: 'x' })),
        ]),
      }),
    ],
    [
      'a 20 kB field',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: 'remove', value: 'x'.repeat(20_000) },
        ]),
      }),
    ],
    [
      '50 headers on one part',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          {
            ...file('a.jpg', fixture('photo.jpg')),
            headers: Array.from({ length: 50 }, (_v, i) => `X-H${i}: y`),
          },
        ]),
      }),
    ],
    [
      'a 10,000-character file name',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          file(`${'a'.repeat(10_000)}.jpg`, fixture('photo.jpg')),
        ]),
      }),
    ],
    [
      'a file name with a path, a null byte and CRLF',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          file('../../x\u0000\r\nSet-Cookie: a=1.jpg', fixture('photo.jpg')),
        ]),
      }),
    ],
    [
      'a file name that is a script',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          file('<script>alert(1)</script>.jpg', fixture('photo.jpg')),
        ]),
      }),
    ],
    [
      'the virus declared as a JPG',
      (tk) => ({ body: multipart([{ name: '_csrf', value: tk }, file('photo.jpg', EICAR, 'image/jpeg')]) }),
    ],
    [
      'the file sent under another field name',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { ...file('a.jpg', fixture('photo.jpg')), name: 'somethingElse' },
        ]),
      }),
    ],
    [
      'the file input sent as a plain field',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: 'badgeHolderPhoto', value: '[{"id":"x","name":"y","size":1,"kind":"jpg"}]' },
          { name: 'action', value: 'continue' },
        ]),
      }),
    ],
    [
      'prototype keys as field names',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: '__proto__', value: '{"polluted":1}' },
          { name: 'constructor', value: 'x' },
          { name: 'action', value: 'continue' },
        ]),
      }),
    ],
    [
      'remove with SQL, a script and a path',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: 'remove', value: "' OR 1=1--<script>alert(1)</script>../../" },
        ]),
      }),
    ],
    [
      'remove with a well-formed id of no file',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: 'remove', value: '00000000-0000-4000-8000-000000000000' },
        ]),
      }),
    ],
    [
      'remove given twice',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: 'remove', value: 'a' },
          { name: 'remove', value: 'b' },
        ]),
      }),
    ],
    [
      'an action that does not exist',
      (tk) => ({
        body: multipart([
          { name: '_csrf', value: tk },
          { name: 'action', value: 'delete-everything' },
        ]),
      }),
    ],
    [
      'a part with an invalid UTF-8 name',
      (tk) => ({
        body: Buffer.concat([
          multipart([{ name: '_csrf', value: tk }], { close: false }),
          Buffer.from(
            `--${B}\r\nContent-Disposition: form-data; name="\xed\xa0\x80"\r\n\r\nx\r\n--${B}--\r\n`,
            'latin1',
          ),
        ]),
      }),
    ],
  ];

  it.each(CASES)(
    '%s: a GOV.UK page or a redirect, never a 500, and only clean accepted files stored',
    async (_what, make) => {
      const { agent, token } = await onPhotoPage();
      const before = await tableContents(t.db);
      const filesBefore = Number((await t.db('upload').count({ n: '*' }))[0]!.n);
      const { body, contentType = `multipart/form-data; boundary=${B}` } = make(token);
      const res = await agent.post(PHOTO).set('Content-Type', contentType).send(body);
      const isPage = (res.text ?? '').includes('govuk-template');
      const acceptable =
        [302, 303].includes(res.status) ||
        (res.status === 422 && isPage && parseHtml(res.text)('.govuk-error-summary').length === 1) ||
        ([400, 403, 413].includes(res.status) && isPage);
      expect({ status: res.status, acceptable }).toEqual({ status: res.status, acceptable: true });
      expect(res.text ?? '').not.toContain('<script>alert(1)</script>');
      const cookies = ([] as string[]).concat(
        (res.headers['set-cookie'] as string | string[] | undefined) ?? [],
      );
      expect(cookies.some((c) => c.startsWith('a=1'))).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const stored: { file_name: string; kind: string }[] = await t.db('upload').select('file_name', 'kind');
      // Whatever was stored is a clean photo with a clean name; nothing else changed anywhere.
      for (const s of stored) {
        expect(s.kind).toBe('jpg');
        // eslint-disable-next-line no-control-regex -- control characters are what must not be there
        expect(s.file_name).not.toMatch(/[\u0000-\u001f/\\]/);
        expect(s.file_name.length).toBeLessThanOrEqual(100);
      }
      if (stored.length === filesBefore) expect(await tableContents(t.db)).toBe(before);
    },
  );

  it('refuses multipart on every route that takes no file, before reading it (415)', async () => {
    const { agent, token } = await onPhotoPage();
    for (const url of [
      `/services/${SLUG}/benefits`,
      '/check-status',
      '/staff/sign-in',
      `/services/${SLUG}/check-answers`,
    ]) {
      const res = await agent
        .post(url)
        .set('Content-Type', `multipart/form-data; boundary=${B}`)
        .send(multipart([{ name: '_csrf', value: token }, file('a.jpg', fixture('photo.jpg'))]));
      expect({ url, status: res.status }).toEqual({ url, status: 415 });
    }
  });
});
