import { fromBuffer } from 'file-type';
import sharp from 'sharp';
import type { FileKind } from '../definitions/types';

// What a file is, from its content (magic bytes, via file-type), never from its name or the browser's content
// type; and images made safe to keep: decoded and encoded again, which drops metadata (EXIF location, camera
// serial numbers) and anything appended to the image, and applies the orientation the camera recorded.

export const FILE_KINDS: Readonly<Record<FileKind, { label: string; mediaType: string }>> = {
  jpg: { label: 'JPG', mediaType: 'image/jpeg' },
  png: { label: 'PNG', mediaType: 'image/png' },
  pdf: { label: 'PDF', mediaType: 'application/pdf' },
};

/** The file's kind by its content, or undefined for anything that is not a JPG, PNG or PDF. */
export async function detectKind(content: Buffer): Promise<FileKind | undefined> {
  const detected = await fromBuffer(content);
  switch (detected?.ext) {
    case 'jpg':
      return 'jpg';
    case 'png':
      return 'png';
    case 'pdf':
      return 'pdf';
    default:
      return undefined;
  }
}

/** An image larger than this many pixels is refused before it is decoded (a decompression bomb). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/**
 * JPG and PNG decoded and written again without metadata; PDF kept as sent (the virus scanner looks inside it).
 * Rejects with UnreadableFileError when an image cannot be decoded or is too large in pixels.
 */
export async function cleanContent(content: Buffer, kind: FileKind): Promise<Buffer> {
  if (kind === 'pdf') return content;
  try {
    const image = sharp(content, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    return kind === 'jpg'
      ? await image.jpeg({ quality: 90, mozjpeg: true }).toBuffer()
      : await image.png({ compressionLevel: 9 }).toBuffer();
  } catch (err) {
    throw new UnreadableFileError((err as Error).message, { cause: err });
  }
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_NAME_LENGTH = 100;

/**
 * The name to show back: the last part of whatever path the browser sent, without control or direction-changing
 * characters, at most 100 characters with its extension kept; the kind's own extension when nothing is left.
 */
export function cleanFileName(sent: string, kind: FileKind): string {
  const base = sent.split(/[/\\]/).pop() ?? '';
  let name = base.normalize('NFC').replace(/\s+/g, ' ').replace(CONTROL_OR_BIDI, '').trim();
  name = name.replace(/^\.+/, '');
  // The extension says what the content is: "scan.pdf" that is really a PNG is kept as "scan.png".
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot).trim() : name;
  const extension = dot > 0 ? name.slice(dot + 1) : '';
  const ownExtension = EXTENSIONS[kind].includes(extension.toLowerCase()) ? extension : kind;
  const maxStem = MAX_NAME_LENGTH - ownExtension.length - 1;
  return `${stem === '' ? 'file' : Array.from(stem).slice(0, maxStem).join('').trim()}.${ownExtension}`;
}

const EXTENSIONS: Readonly<Record<FileKind, readonly string[]>> = {
  jpg: ['jpg', 'jpeg'],
  png: ['png'],
  pdf: ['pdf'],
};

/** "2.4 MB", "310 KB", "12 bytes": how GOV.UK writes sizes. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, '') : Math.round(mb)} MB`;
}

const OR_LIST = new Intl.ListFormat('en-GB', { type: 'disjunction' });

/** "JPG, PNG or PDF". */
export const kindList = (kinds: readonly FileKind[]): string =>
  OR_LIST.format(kinds.map((k) => FILE_KINDS[k].label));
