import type { FileKind } from '../definitions/types';
import {
  cleanContent,
  cleanFileName,
  detectKind,
  formatSize,
  kindList,
  UnreadableFileError,
} from './file-content';
import type { ReceivedFile } from './multipart';
import { ScannerUnavailableError, type VirusScanner } from './scanner';

// Every file a citizen sends goes through these checks, in this order, before anything is stored: size, emptiness,
// a virus scan of the bytes as sent, the kind by content, then images decoded and encoded again. Used by the upload
// pages (src/apply/upload-page.ts) and by replies to a request for information (src/apply/status.ts).

export type Accepted = Readonly<{ ok: true; name: string; kind: FileKind; content: Buffer }>;
export type Refused = Readonly<{ ok: false; message: string }>;
export type Unscannable = Readonly<{ ok: false; scannerUnavailable: true }>;

export type Rules = Readonly<{ accept: readonly FileKind[]; maxBytes: number }>;

/** "10MB": how the Design System writes the limit in its messages. */
const limitText = (bytes: number) => formatSize(bytes).replace(' ', '');

export async function takeIn(
  sent: ReceivedFile,
  rules: Rules,
  scanner: VirusScanner,
  log?: { warn: (o: object, m: string) => void; error: (o: object, m: string) => void },
): Promise<Accepted | Refused | Unscannable> {
  const refuse = (message: string): Refused => ({ ok: false, message });
  if (sent.tooLarge || sent.content.length > rules.maxBytes) {
    return refuse(`The selected file must be smaller than ${limitText(rules.maxBytes)}`);
  }
  if (sent.content.length === 0) return refuse('The selected file is empty');
  // The scanner sees every non-empty file, even one refused for its kind: an infected file is named as such.
  let verdict;
  try {
    verdict = await scanner.scan(sent.content);
  } catch (err) {
    if (!(err instanceof ScannerUnavailableError)) throw err;
    log?.error({ err: { name: err.name, message: err.message } }, 'virus scanner unavailable');
    return { ok: false, scannerUnavailable: true };
  }
  if (!verdict.clean) {
    log?.warn(
      { event: 'upload-infected', signature: verdict.signature },
      'uploaded file refused: virus found',
    );
    return refuse('The selected file contains a virus');
  }
  const kind = await detectKind(sent.content);
  if (!kind || !rules.accept.includes(kind))
    return refuse(`The selected file must be a ${kindList(rules.accept)}`);
  try {
    const content = await cleanContent(sent.content, kind);
    return { ok: true, kind, content, name: cleanFileName(sent.filename, kind) };
  } catch (err) {
    if (err instanceof UnreadableFileError)
      return refuse('The selected file could not be uploaded – try again');
    throw err;
  }
}
