import { cleanFileName, detectKind, formatSize, kindList } from '../../src/uploads/file-content';
import { EICAR, fixture, HTML_PAGE, zipBomb } from './fixtures';

describe('the kind of a file, from its content', () => {
  it('recognises JPG, PNG and PDF by their first bytes, whatever they are called', async () => {
    expect(await detectKind(fixture('photo.jpg'))).toBe('jpg');
    expect(await detectKind(fixture('passport.png'))).toBe('png');
    expect(await detectKind(fixture('letter.pdf'))).toBe('pdf');
  });

  it('recognises nothing in HTML, text, a ZIP archive or an empty file', async () => {
    for (const content of [HTML_PAGE, EICAR, zipBomb(), Buffer.alloc(0)]) {
      expect(await detectKind(content)).toBeUndefined();
    }
  });
});

describe('the name shown for an uploaded file', () => {
  it.each([
    ['photo.jpg', 'jpg', 'photo.jpg'],
    ['Photo.JPEG', 'jpg', 'Photo.JPEG'],
    ['C:\\Users\\me\\Pictures\\me.png', 'png', 'me.png'],
    ['../../etc/passwd', 'pdf', 'passwd.pdf'],
    ['scan.pdf', 'png', 'scan.png'],
    ['.hidden.png', 'png', 'hidden.png'],
    ['', 'pdf', 'file.pdf'],
    ['\u202eexe.jpg', 'jpg', 'exe.jpg'],
    ['a\u0000b\nc.png', 'png', 'ab c.png'],
    ['my   holiday\tphoto.jpg', 'jpg', 'my holiday photo.jpg'],
  ] as const)('%j as a %s is shown as %j', (sent, kind, shown) => {
    expect(cleanFileName(sent, kind)).toBe(shown);
  });

  it('keeps at most 100 characters, extension included', () => {
    const name = cleanFileName(`${'x'.repeat(300)}.pdf`, 'pdf');
    expect(name).toHaveLength(100);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('sizes and kinds in words', () => {
  it('writes sizes as GOV.UK does', () => {
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(444)).toBe('444 bytes');
    expect(formatSize(2048)).toBe('2 KB');
    expect(formatSize(2.5 * 1024 * 1024)).toBe('2.5 MB');
    expect(formatSize(10 * 1024 * 1024)).toBe('10 MB');
  });

  it('lists kinds with "or"', () => {
    expect(kindList(['pdf'])).toBe('PDF');
    expect(kindList(['jpg', 'png'])).toBe('JPG or PNG');
    expect(kindList(['jpg', 'png', 'pdf'])).toBe('JPG, PNG or PDF');
  });
});
