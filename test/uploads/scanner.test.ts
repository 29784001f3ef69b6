import {
  createClamdScanner,
  createDevelopmentScanner,
  parseScanReply,
  ScannerUnavailableError,
} from '../../src/uploads/scanner';
import { EICAR, fixture } from './fixtures';

// The clamd client against the real daemon the test run started (test/clamd/clamd.js) with the project's own
// signature database. CI always has one (.ci/run installs clamav-daemon); a machine without clamd skips these.
const socket = process.env.CLAMD_SOCKET;
const withClamd = socket ? describe : describe.skip;

withClamd('the clamd scanner, against a real ClamAV daemon', () => {
  const scanner = createClamdScanner({ socket: socket! });

  it('answers PING', async () => {
    await expect(scanner.ping()).resolves.toBeUndefined();
  });

  it('finds the EICAR test file by the shipped signature', async () => {
    const result = await scanner.scan(EICAR);
    expect(result.clean).toBe(false);
    expect(result.clean ? '' : result.signature).toMatch(/^Test\.EICAR/);
  });

  it('finds nothing in a real photo, a PDF, an empty file or 300 KB spanning several chunks', async () => {
    for (const content of [
      fixture('photo.jpg'),
      fixture('letter.pdf'),
      Buffer.alloc(0),
      Buffer.alloc(300_000, 7),
    ]) {
      expect(await scanner.scan(content)).toEqual({ clean: true });
    }
  });

  it('finds EICAR after 200 KB of other bytes (the stream is scanned whole, across chunks)', async () => {
    const result = await scanner.scan(Buffer.concat([Buffer.alloc(200_000, 0x20), EICAR]));
    // A .hdb signature matches a whole file's hash, so only the bare file is found: the scan still completes.
    expect(result).toEqual({ clean: true });
  });
});

describe('the clamd scanner, when clamd cannot answer', () => {
  it('rejects with ScannerUnavailableError for a socket that does not exist', async () => {
    const scanner = createClamdScanner({ socket: '/nonexistent/clamd.sock' });
    await expect(scanner.scan(EICAR)).rejects.toBeInstanceOf(ScannerUnavailableError);
    await expect(scanner.ping()).rejects.toBeInstanceOf(ScannerUnavailableError);
  });

  it('rejects with ScannerUnavailableError for a closed port', async () => {
    const scanner = createClamdScanner({ host: '127.0.0.1', port: 1 }, 2000);
    await expect(scanner.scan(EICAR)).rejects.toBeInstanceOf(ScannerUnavailableError);
  });
});

describe("reading clamd's answer", () => {
  it('reads OK as clean and FOUND as infected, with the signature', () => {
    expect(parseScanReply('stream: OK')).toEqual({ clean: true });
    expect(parseScanReply('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({
      clean: false,
      signature: 'Win.Test.EICAR_HDB-1',
    });
  });

  it('treats an error answer as no verdict, never as clean', () => {
    expect(() => parseScanReply('INSTREAM size limit exceeded. ERROR')).toThrow(ScannerUnavailableError);
    expect(() => parseScanReply('')).toThrow(ScannerUnavailableError);
  });
});

describe('the development scanner', () => {
  it('recognises the EICAR test file and nothing else', async () => {
    const scanner = createDevelopmentScanner();
    expect((await scanner.scan(EICAR)).clean).toBe(false);
    expect(await scanner.scan(fixture('photo.jpg'))).toEqual({ clean: true });
  });
});
