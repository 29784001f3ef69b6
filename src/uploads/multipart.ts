import type { Request } from 'express';
import busboy from 'busboy';

// multipart/form-data, parsed while it streams in (busboy) with hard limits on every part of it: one file, a few
// short fields, few part headers. A file over the size limit is cut off and flagged, never held whole; the
// request is refused as soon as any other limit is crossed. Only the routes that take a file accept multipart
// (src/middleware/body-parsing.ts); every other form stays URL-encoded.

export type ReceivedFile = Readonly<{
  field: string;
  /** As the browser sent it: untrusted, cleaned before it is ever shown (file-content.ts). */
  filename: string;
  content: Buffer;
  /** Larger than the limit: the content holds only the first `maxFileBytes` + 1 bytes. */
  tooLarge: boolean;
}>;

export type MultipartLimits = Readonly<{ maxFileBytes: number }>;

export const MULTIPART_FIELD_LIMITS = {
  fields: 20,
  fieldSize: 10 * 1024,
  parts: 22,
  headerPairs: 20,
  fieldNameSize: 100,
} as const;

/** A request that breaks the multipart limits or format: answered 400/413 by the error handler, as a page. */
function refused(status: 400 | 413, message: string, type = 'multipart.malformed') {
  return Object.assign(new Error(message), { status, type, expose: true });
}

export function parseMultipart(
  req: Request,
  limits: MultipartLimits,
): Promise<{ fields: Record<string, string | string[]>; file?: ReceivedFile }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send file names as UTF-8 bytes in the part's header.
        defParamCharset: 'utf8',
        limits: { ...MULTIPART_FIELD_LIMITS, files: 1, fileSize: limits.maxFileBytes + 1 },
      });
    } catch {
      reject(refused(400, 'Malformed multipart form'));
      return;
    }
    const fields: Record<string, string | string[]> = Object.create(null) as Record<
      string,
      string | string[]
    >;
    let file: ReceivedFile | undefined;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      // Read and drop the rest, so the client gets the answer rather than a reset connection.
      req.resume();
      reject(err);
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated)
        return fail(refused(413, 'Form field too long', 'entity.too.large'));
      const existing = fields[name];
      if (existing === undefined) fields[name] = value;
      else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      let tooLarge = false;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A body cut off mid-file errors the file stream as well as the parser: the parser's error answers it.
      stream.on('error', () => undefined);
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        // A file input left empty still sends a part, with no name and no bytes: no file was chosen.
        if (info.filename === undefined || (info.filename === '' && chunks.length === 0)) return;
        file = { field, filename: info.filename, content: Buffer.concat(chunks), tooLarge };
      });
    });
    parser.on('filesLimit', () =>
      fail(refused(413, 'Only one file can be sent at a time', 'parameters.too.many')),
    );
    parser.on('fieldsLimit', () => fail(refused(413, 'Too many form fields', 'parameters.too.many')));
    parser.on('partsLimit', () => fail(refused(413, 'Too many form parts', 'parameters.too.many')));
    parser.on('error', () => fail(refused(400, 'Malformed multipart form')));
    parser.on('close', () => {
      if (!failed) resolve({ fields, file });
    });
    req.on('error', (err) => fail(err));
    req.pipe(parser);
  });
}
