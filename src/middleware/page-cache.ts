import crypto from 'node:crypto';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';

// Pages that are the same for everyone (the catalogue, start pages, search results, the statements, a question
// page not yet answered) are rendered once and kept, with placeholders where the per-request CSP nonce and the
// session's CSRF token go; each response swaps in its own. Rendering the GOV.UK template is most of what such a
// page costs, so this takes it off the hot path.
//
// Only what `context` returns (and the environment's globals) reaches the template: never res.locals, so no
// session, answer or signed-in person can end up in a cached page, and a form's CSRF token is always the one of
// the session the page is sent to (asked for only when the page has a form, so a page without one still creates
// no session). Whatever else a page shows must be in its key or its version.
//
// The places to fill are marked by the render itself: each render passes a nonce and a token placeholder made of
// a fresh random marker (96 bits), so no text in the page (a search query, anything typed) can contain one, and
// the page is cut into kept bytes at exactly the places the template put them (issue 13, defect 7: fixed
// placeholders were swapped inside what people typed, showing them the session's token or the page's nonce).
const MARKER_BYTES = 12;

export type PageCache = Readonly<{
  /**
   * Send the cached page for `key`, rendering `view` with `context` when it is missing, older than the TTL, or
   * was rendered for another `version` (compared by identity: pass the data the page shows, such as the
   * typical-times map, and a new map means a new page).
   */
  send(
    res: Response,
    key: string,
    view: string,
    context?: () => Record<string, unknown>,
    version?: unknown,
  ): void;
  /** Send the cached page for `key` if there is a fresh one for `version`; false when it must be rendered. */
  sendCached(res: Response, key: string, version?: unknown): boolean;
  clear(): void;
  readonly size: number;
}>;

/**
 * The page as encoded bytes between placeholders: parts[0], slot 0, parts[1], slot 1, … The parts are kept as
 * Buffers and written as they are: a response allocates only its nonce and token, not a copy of the whole page
 * (at thousands of responses a second, those copies are what grew the process's memory).
 */
type Page = { parts: readonly Buffer[]; slots: readonly ('nonce' | 'csrf')[]; at: number; version: unknown };

/** Cut the page at each of this render's placeholders: text, placeholder, text, … */
function toPage(
  html: string,
  marks: Readonly<{ nonce: string; csrf: string }>,
  at: number,
  version: unknown,
): Page {
  const parts: Buffer[] = [];
  const slots: ('nonce' | 'csrf')[] = [];
  let from = 0;
  for (;;) {
    const nonceAt = html.indexOf(marks.nonce, from);
    const csrfAt = html.indexOf(marks.csrf, from);
    const next = nonceAt === -1 ? csrfAt : csrfAt === -1 ? nonceAt : Math.min(nonceAt, csrfAt);
    if (next === -1) break;
    const slot = next === nonceAt ? 'nonce' : 'csrf';
    parts.push(Buffer.from(html.slice(from, next), 'utf8'));
    slots.push(slot);
    from = next + marks[slot].length;
  }
  parts.push(Buffer.from(html.slice(from), 'utf8'));
  return { parts, slots, at, version };
}

/** The page's bytes with this response's nonce and this session's CSRF token in their places. */
function chunksFor(res: Response, page: Page): { chunks: (Buffer | string)[]; length: number } {
  const nonce = String(res.locals.cspNonce);
  let token: string | undefined;
  const chunks: (Buffer | string)[] = [page.parts[0]!];
  let length = page.parts[0]!.length;
  for (let i = 0; i < page.slots.length; i++) {
    const value = page.slots[i] === 'nonce' ? nonce : (token ??= String(res.locals.csrfToken()));
    const next = page.parts[i + 1]!;
    chunks.push(value, next);
    length += Buffer.byteLength(value) + next.length;
  }
  return { chunks, length };
}

/**
 * Written in one go (corked: one socket write for headers and body). No ETag: pages are `no-store`, and hashing
 * the whole page for every response is what res.send would otherwise spend its time on.
 */
function sendPage(res: Response, page: Page): void {
  const { chunks, length } = chunksFor(res, page);
  res.type('html');
  res.setHeader('Content-Length', String(length));
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end(); // end() uncorks
}

export function createPageCache(
  views: nunjucks.Environment,
  options: { ttlMs: number; maxEntries?: number },
): PageCache {
  // A Map keeps insertion order: a hit moves its page to the end, so the first entry is the least recently used.
  const pages = new Map<string, Page>();
  const maxEntries = options.maxEntries ?? 500;
  const fresh = (key: string, version: unknown, now: number): Page | undefined => {
    const page = pages.get(key);
    return page && now - page.at <= options.ttlMs && page.version === version ? page : undefined;
  };
  return {
    sendCached(res, key, version = undefined) {
      const page = fresh(key, version, Date.now());
      if (!page) return false;
      pages.delete(key);
      pages.set(key, page);
      sendPage(res, page);
      return true;
    },
    send(res, key, view, context = () => ({}), version = undefined) {
      const now = Date.now();
      let page = fresh(key, version, now);
      if (!page) {
        const marker = crypto.randomBytes(MARKER_BYTES).toString('hex');
        const marks = { nonce: `csp-nonce-${marker}`, csrf: `csrf-token-${marker}` };
        const html = views.render(view.endsWith('.njk') ? view : `${view}.njk`, {
          ...context(),
          cspNonce: marks.nonce,
          csrfToken: () => marks.csrf,
        });
        page = toPage(html, marks, now, version);
      }
      pages.delete(key);
      while (pages.size >= maxEntries) pages.delete(pages.keys().next().value!);
      pages.set(key, page);
      sendPage(res, page);
    },
    clear: () => pages.clear(),
    get size() {
      return pages.size;
    },
  };
}
