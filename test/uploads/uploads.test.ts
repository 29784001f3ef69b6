import request from 'supertest';
import sharp from 'sharp';
import { AGENCIES } from '../../src/definitions/agencies';
import { applyRetention } from '../../src/retention/retention';
import { storeUpload } from '../../src/uploads/upload-repository';
import { appWith, type TestApp } from '../helpers/app';
import {
  csrfTokenIn,
  FIXED_NOW,
  fixedClock,
  postStep,
  postUpload,
  sendApplication,
  summaryRows,
  walkToCheckAnswers,
  type Agent,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import blueBadgePaths from '../fixtures/journeys/apply-for-a-blue-badge';
import { brokenJpeg, EICAR, fixture, HTML_PAGE, pixelBombPng, zipBomb } from './fixtures';

// Uploading evidence on the Blue Badge service, through the real app, a real database and (where the machine has
// one, and always in CI) a real clamd with the project's test signatures.

const SLUG = 'apply-for-a-blue-badge';
const PHOTO = `/services/${SLUG}/photo`;
const IDENTITY = `/services/${SLUG}/proof-of-identity`;
const myself = blueBadgePaths[0]!;

const errorsOn = (html: string) =>
  parseHtml(html)('.govuk-error-summary__list a')
    .map((_i, a) => parseHtml(html)(a).text().trim())
    .get();
const uploadedNames = (html: string) =>
  parseHtml(html)('.app-file-name')
    .map((_i, el) => parseHtml(html)(el).text().trim())
    .get();

describe('uploading evidence', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  const storedFiles = async () => Number((await t.db('upload').count({ n: '*' }))[0]!.n);

  /** A new citizen on the given page of the first Blue Badge path, every page before it answered. */
  async function reach(pageId: string): Promise<Agent> {
    const agent = request.agent(t.app);
    await agent.get(`/services/${SLUG}/start`).expect(302);
    for (const step of myself.steps) {
      if (step.page === pageId) return agent;
      const res = await postStep(agent, `/services/${SLUG}/${step.page}`, step);
      expect(res.status).toBe(302);
    }
    throw new Error(`${pageId} is not on the path`);
  }

  it('uploads a photo, lists it with a success message, and continues to the next question', async () => {
    const agent = await reach('photo');
    const page = await agent.get(PHOTO).expect(200);
    const $ = parseHtml(page.text);
    expect($('form').attr('enctype')).toBe('multipart/form-data');
    expect($('input[type="file"]').attr('name')).toBe('badgeHolderPhoto');
    expect($('h1').text()).toContain('Upload a photo of yourself');

    const uploaded = await postUpload(agent, PHOTO, { fixture: 'photo.jpg' });
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.location).toBe(PHOTO);
    const listed = await agent.get(PHOTO).expect(200);
    expect(uploadedNames(listed.text)).toEqual(['photo.jpg']);
    expect(parseHtml(listed.text)('.govuk-notification-banner--success').text()).toContain(
      'photo.jpg has been uploaded',
    );
    // The one photo allowed is there: no file input, no "Upload file" button, only Continue.
    expect(parseHtml(listed.text)('input[type="file"]').length).toBe(0);
    // The banner is said once.
    const again = await agent.get(PHOTO).expect(200);
    expect(parseHtml(again.text)('.govuk-notification-banner').length).toBe(0);

    const next = await postUpload(agent, PHOTO);
    expect(next.status).toBe(302);
    expect(next.headers.location).toBe(IDENTITY);
  });

  it('chooses a file and presses Continue in one step', async () => {
    const agent = await reach('photo');
    const res = await postUpload(agent, PHOTO, { fixture: 'passport.png' }, 'continue');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(IDENTITY);
  });

  it('removes an uploaded file: gone from the list and from the store', async () => {
    const agent = await reach('photo');
    const before = await storedFiles();
    expect((await postUpload(agent, PHOTO, { fixture: 'photo.jpg' })).status).toBe(303);
    expect(await storedFiles()).toBe(before + 1);
    const page = await agent.get(PHOTO);
    const id = parseHtml(page.text)('button[name="remove"]').attr('value')!;
    const removed = await agent
      .post(PHOTO)
      .field('_csrf', csrfTokenIn(page.text))
      .field('remove', id)
      .expect(303);
    expect(removed.headers.location).toBe(PHOTO);
    const after = await agent.get(PHOTO).expect(200);
    expect(uploadedNames(after.text)).toEqual([]);
    expect(parseHtml(after.text)('.govuk-notification-banner--success').text()).toContain(
      'photo.jpg has been removed',
    );
    expect(await storedFiles()).toBe(before);
  });

  it('asks for a photo when Continue is pressed without one', async () => {
    const agent = await reach('photo');
    const res = await postUpload(agent, PHOTO);
    expect(res.status).toBe(422);
    expect(errorsOn(res.text)).toEqual(['Select a photo']);
    expect(parseHtml(res.text)('.govuk-error-summary__list a').attr('href')).toBe('#badgeHolderPhoto');
    const upload = await postUpload(agent, PHOTO, undefined, 'upload');
    expect(upload.status).toBe(422);
    expect(errorsOn(upload.text)).toEqual(['Select a photo']);
  });

  it.each([
    ['the EICAR test virus, named photo.jpg', 'photo.jpg', () => EICAR, 'The selected file contains a virus'],
    ['an HTML page named photo.jpg', 'photo.jpg', () => HTML_PAGE, 'The selected file must be a JPG or PNG'],
    [
      'a PDF named photo.jpg',
      'photo.jpg',
      () => fixture('letter.pdf'),
      'The selected file must be a JPG or PNG',
    ],
    ['a zip bomb named photo.png', 'photo.png', zipBomb, 'The selected file must be a JPG or PNG'],
    ['an empty file', 'photo.jpg', () => Buffer.alloc(0), 'The selected file is empty'],
    [
      'a file over 10MB',
      'big.jpg',
      () => Buffer.concat([fixture('photo.jpg'), Buffer.alloc(10 * 1024 * 1024)]),
      'The selected file must be smaller than 10MB',
    ],
    [
      'a PNG of 900 megapixels (a decompression bomb)',
      'huge.png',
      () => pixelBombPng(),
      'The selected file could not be uploaded – try again',
    ],
    [
      'a JPG that is not an image',
      'broken.jpg',
      brokenJpeg,
      'The selected file could not be uploaded – try again',
    ],
  ])('refuses %s with the right message and stores nothing', async (_what, name, content, message) => {
    const agent = await reach('photo');
    const before = await storedFiles();
    const res = await postUpload(agent, PHOTO, { name, content: content() });
    expect(res.status).toBe(422);
    expect(errorsOn(res.text)).toEqual([message]);
    expect(parseHtml(res.text)('#badgeHolderPhoto-error').text()).toContain(message);
    expect(await storedFiles()).toBe(before);
    expect(uploadedNames((await agent.get(PHOTO)).text)).toEqual([]);
  });

  it('decides the kind from the content: a PNG named passport.pdf is kept as the PNG it is', async () => {
    const agent = await reach('photo');
    expect(
      (await postUpload(agent, PHOTO, { name: 'passport.pdf', content: fixture('passport.png') })).status,
    ).toBe(303);
    expect(uploadedNames((await agent.get(PHOTO)).text)).toEqual(['passport.png']);
  });

  it('strips metadata from photos: no EXIF survives in what is stored', async () => {
    expect((await sharp(fixture('photo.jpg')).metadata()).exif).toBeDefined();
    const agent = await reach('photo');
    expect((await postUpload(agent, PHOTO, { fixture: 'photo.jpg' })).status).toBe(303);
    const row = (await t.db('upload').orderBy('created_at', 'desc').first('content', 'kind')) as {
      content: Buffer;
      kind: string;
    };
    expect(row.kind).toBe('jpg');
    const stored = await sharp(row.content).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.format).toBe('jpeg');
    expect(row.content.includes(Buffer.from('Secret Location Camera'))).toBe(false);
  });

  it('cleans the name it shows: no folders, no direction-changing characters', async () => {
    const agent = await reach('photo');
    expect(
      (
        await postUpload(agent, PHOTO, {
          name: '..\\..\\windows\\evil\u202egpj.png',
          content: fixture('passport.png'),
        })
      ).status,
    ).toBe(303);
    expect(uploadedNames((await agent.get(PHOTO)).text)).toEqual(['evilgpj.png']);
  });

  it('ignores a file list forged in the form: only files this journey uploaded count', async () => {
    const agent = await reach('photo');
    const page = await agent.get(PHOTO);
    const forged = JSON.stringify([
      { id: '00000000-0000-4000-8000-000000000000', name: 'x.jpg', size: 1, kind: 'jpg' },
    ]);
    const res = await agent
      .post(PHOTO)
      .field('_csrf', csrfTokenIn(page.text))
      .field('action', 'continue')
      .field('badgeHolderPhoto', forged);
    expect(res.status).toBe(422);
    expect(errorsOn(res.text)).toEqual(['Select a photo']);
  });

  it('allows up to two documents for proof of identity, then no more', async () => {
    const agent = await reach('proof-of-identity');
    expect((await postUpload(agent, IDENTITY, { fixture: 'letter.pdf' })).status).toBe(303);
    const one = await agent.get(IDENTITY);
    expect(parseHtml(one.text)('label[for="proofOfIdentity"]').text()).toContain('Upload another document');
    expect((await postUpload(agent, IDENTITY, { fixture: 'passport.png' })).status).toBe(303);
    const two = await agent.get(IDENTITY);
    expect(uploadedNames(two.text)).toEqual(['letter.pdf', 'passport.png']);
    expect(parseHtml(two.text)('input[type="file"]').length).toBe(0);
    // A third sent anyway (an old tab) is refused.
    const third = await agent
      .post(IDENTITY)
      .field('_csrf', csrfTokenIn(two.text))
      .field('action', 'upload')
      .attach('proofOfIdentity', fixture('passport.png'), 'third.png');
    expect(third.status).toBe(422);
    expect(errorsOn(third.text)).toEqual(['You can only upload 2 files']);
  });

  it('refuses multipart on pages that take no file (415), and a second file in one form (413)', async () => {
    const agent = await reach('photo');
    const page = await agent.get(PHOTO);
    await agent
      .post(`/services/${SLUG}/badge-holder-name`)
      .field('_csrf', csrfTokenIn(page.text))
      .field('badgeHolderName', 'A Person')
      .expect(415);
    const two = await agent
      .post(PHOTO)
      .field('_csrf', csrfTokenIn(page.text))
      .attach('badgeHolderPhoto', fixture('photo.jpg'), 'a.jpg')
      .attach('badgeHolderPhoto', fixture('photo.jpg'), 'b.jpg');
    expect(two.status).toBe(413);
    expect(parseHtml(two.text)('h1').text()).not.toBe('');
  });

  it('refuses a multipart form without its CSRF token and stores nothing', async () => {
    const agent = await reach('photo');
    const before = await storedFiles();
    const res = await agent.post(PHOTO).attach('badgeHolderPhoto', fixture('photo.jpg'), 'photo.jpg');
    expect(res.status).toBe(403);
    expect(await storedFiles()).toBe(before);
  });

  it('sends the files with the application: attached to it, shown on check answers', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, myself);
    const check = await agent.get(`/services/${SLUG}/check-answers`).expect(200);
    expect(summaryRows(check.text).Photo).toBe('photo.jpg (JPG, 2 KB)');
    const sent = await sendApplication(agent, SLUG);
    const reference = sent.headers.location!.split('/').pop()!;
    const files: { file_name: string }[] = await t
      .db('upload')
      .join('submission', 'submission.id', 'upload.submission_id')
      .where('submission.reference', reference)
      .orderBy('upload.file_name')
      .select('upload.file_name');
    expect(files.map((f) => f.file_name)).toEqual(['letter.pdf', 'passport.png', 'photo.jpg']);
  });
});

describe('uploading when the virus scanner cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ CLAMD_SOCKET: '/nonexistent/clamd.sock' }, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('answers with a "try again later" page and keeps nothing unscanned', async () => {
    const agent = request.agent(t.app);
    await agent.get(`/services/${SLUG}/start`).expect(302);
    for (const step of myself.steps) {
      if (step.page === 'photo') break;
      await postStep(agent, `/services/${SLUG}/${step.page}`, step);
    }
    const res = await postUpload(agent, PHOTO, { fixture: 'photo.jpg' });
    expect(res.status).toBe(503);
    expect(parseHtml(res.text)('h1').text()).toBe('Sorry, you cannot upload files at the moment');
    expect(Number((await t.db('upload').count({ n: '*' }))[0]!.n)).toBe(0);
    // The answers before it are still there.
    const back = await agent.get(PHOTO).expect(200);
    expect(parseHtml(back.text)('h1').text()).toContain('Upload a photo of yourself');
  });
});

describe('files sent with an application, for staff', () => {
  let t: TestApp;
  let reference: string;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    const agent = await walkToCheckAnswers(t.app, SLUG, myself);
    reference = (await sendApplication(agent, SLUG)).headers.location!.split('/').pop()!;
  });
  afterAll(() => t.close());

  it('lists them on the case page and downloads each as an attachment, audited', async () => {
    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.localCouncil.id],
    });
    const staff = await signIn(t, caseworker, { clock: fixedClock });
    const casePage = await staff.get(`/staff/submissions/${reference}`).expect(200);
    const links = parseHtml(casePage.text)('#files + ul a');
    expect(links.map((_i, a) => parseHtml(casePage.text)(a).text()).get()).toEqual([
      'photo.jpg',
      'passport.png',
      'letter.pdf',
    ]);
    const href = links.first().attr('href')!;
    const download = await staff.get(href).buffer(true).expect(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="?photo\.jpg"?$/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(download.headers['cache-control']).toBe('no-store');
    expect((await sharp(download.body as Buffer).metadata()).format).toBe('jpeg');
    const audit = await t
      .db('audit_event')
      .where({ action: 'attachment-downloaded', actor_id: caseworker.id });
    expect(audit).toHaveLength(1);
  });

  it('gives staff of another agency, a made-up file id and a file of another case a 404', async () => {
    const outsider = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
    });
    const other = await signIn(t, outsider, { clock: fixedClock });
    const file = (await t.db('upload').whereNotNull('submission_id').first('id')) as { id: string };
    await other.get(`/staff/submissions/${reference}/files/${file.id}`).expect(404);

    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.localCouncil.id],
    });
    const staff = await signIn(t, caseworker, { clock: fixedClock });
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', '../../etc/passwd']) {
      await staff.get(`/staff/submissions/${reference}/files/${encodeURIComponent(id)}`).expect(404);
    }
    const agent = await walkToCheckAnswers(t.app, SLUG, myself);
    const otherReference = (await sendApplication(agent, SLUG)).headers.location!.split('/').pop()!;
    await staff.get(`/staff/submissions/${otherReference}/files/${file.id}`).expect(404);
  });

  it('refuses a download to someone not signed in', async () => {
    const file = (await t.db('upload').whereNotNull('submission_id').first('id')) as { id: string };
    const res = await request(t.app).get(`/staff/submissions/${reference}/files/${file.id}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/staff\/sign-in/);
  });
});

describe('a file sent with a reply to a request for more information', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  /** A sent Blue Badge application the council has asked about, and the citizen on its status page. */
  async function asked() {
    const sent = await walkToCheckAnswers(t.app, SLUG, myself);
    const reference = (await sendApplication(sent, SLUG)).headers.location!.split('/').pop()!;
    const manager = await createStaffUser(t.db, { role: 'manager', agencies: [AGENCIES.localCouncil.id] });
    const staff = await signIn(t, manager, { clock: fixedClock });
    const casePage = await staff.get(`/staff/submissions/${reference}`).expect(200);
    const $ = parseHtml(casePage.text);
    await staff
      .post(`/staff/submissions/${reference}/request-information`)
      .type('form')
      .send({
        _csrf: csrfTokenIn(casePage.text),
        version: $('form[action$="/request-information"] input[name="version"]').attr('value'),
        message: 'Please send the letter from your doctor.',
      })
      .expect(303);
    const citizen = request.agent(t.app);
    const form = await citizen.get('/check-status');
    await citizen
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference, proof: 'graham.turner@example.com' })
      .expect(303);
    return { reference, staff, citizen };
  }

  const reply = async (citizen: Agent, text: string, file?: { name: string; content: Buffer }) => {
    const page = await citizen.get('/check-status/your-application').expect(200);
    const req = citizen
      .post('/check-status/your-application/reply')
      .field('_csrf', csrfTokenIn(page.text))
      .field('reply', text);
    return file ? req.attach('replyFile', file.content, file.name) : req;
  };

  it('stores the file with the reply, shows its name to the citizen, and lets staff download it', async () => {
    const { reference, staff, citizen } = await asked();
    const page = await citizen.get('/check-status/your-application');
    expect(parseHtml(page.text)('form[action$="/reply"]').attr('enctype')).toBe('multipart/form-data');
    const res = await reply(citizen, 'Here is the letter.', {
      name: 'doctor.pdf',
      content: fixture('letter.pdf'),
    });
    expect(res.status).toBe(303);
    const after = await citizen.get('/check-status/your-application').expect(200);
    expect(after.text).toContain('File sent: doctor.pdf');

    const casePage = await staff.get(`/staff/submissions/${reference}`).expect(200);
    const $ = parseHtml(casePage.text);
    const link = $('a[download]')
      .filter((_i, a) => $(a).text() === 'doctor.pdf')
      .first();
    expect(link.length).toBe(1);
    const download = await staff.get(link.attr('href')!).buffer(true).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect((download.body as Buffer).equals(fixture('letter.pdf'))).toBe(true);
  });

  it('refuses a virus with the reply kept, stores nothing and leaves the request open', async () => {
    const { reference, citizen } = await asked();
    const before = await t.db('submission_message').count({ n: '*' });
    const res = await reply(citizen, 'Here it is.', { name: 'letter.pdf', content: EICAR });
    expect(res.status).toBe(422);
    expect(errorsOn(res.text)).toEqual(['The selected file contains a virus']);
    expect(parseHtml(res.text)('.govuk-error-summary__list a').attr('href')).toBe('#replyFile');
    expect(parseHtml(res.text)('#reply').text()).toBe('Here it is.');
    expect(await t.db('submission_message').count({ n: '*' })).toEqual(before);
    const row = (await t.db('submission').where({ reference }).first('status')) as { status: string };
    expect(row.status).toBe('awaiting-citizen');
  });

  it('sends a reply without a file as before', async () => {
    const { citizen } = await asked();
    expect((await reply(citizen, 'No letter, but the details are these.')).status).toBe(303);
  });
});

describe('deleting files', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('deletes the files of an application when retention anonymises it, and says how many', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, myself);
    const reference = (await sendApplication(agent, SLUG)).headers.location!.split('/').pop()!;
    const decidedAt = new Date('2023-01-10T12:00:00Z');
    await t.db('submission').where({ reference }).update({ status: 'approved', decided_at: decidedAt });
    const id = ((await t.db('submission').where({ reference }).first('id')) as { id: number }).id;
    expect(await t.db('upload').where({ submission_id: id }).count({ n: '*' })).toEqual([{ n: 3 }]);

    const result = await applyRetention(t.db, { now: FIXED_NOW, retentionMonths: 24 });
    expect(result.files).toBe(3);
    expect(await t.db('upload').where({ submission_id: id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('deletes files of journeys never sent once they are a day old, and keeps newer ones and sent ones', async () => {
    const store = (journeyKey: string, now: Date) =>
      storeUpload(t.db, {
        journeyKey,
        questionId: 'badgeHolderPhoto',
        name: 'a.jpg',
        kind: 'jpg',
        content: fixture('photo.jpg'),
        now,
      });
    const old = await store('abandoned', new Date(FIXED_NOW.getTime() - 25 * 3600_000));
    const recent = await store('in-progress', new Date(FIXED_NOW.getTime() - 2 * 3600_000));
    const sentBefore = Number((await t.db('upload').whereNotNull('submission_id').count({ n: '*' }))[0]!.n);

    const dry = await applyRetention(t.db, { now: FIXED_NOW, retentionMonths: 24, dryRun: true });
    expect(dry.abandonedFiles).toBe(1);
    const result = await applyRetention(t.db, { now: FIXED_NOW, retentionMonths: 24 });
    expect(result.abandonedFiles).toBe(1);
    expect(await t.db('upload').where({ id: old.id }).first()).toBeUndefined();
    expect(await t.db('upload').where({ id: recent.id }).first()).toBeDefined();
    expect(Number((await t.db('upload').whereNotNull('submission_id').count({ n: '*' }))[0]!.n)).toBe(
      sentBefore,
    );
  });
});
