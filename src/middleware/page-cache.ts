import type { Response } from 'express';
import type nunjucks from 'nunjucks';

// Pages that are the same for everyone (the catalogue, start pages, the statements) are rendered once and
// kept, with a placeholder where the per-request CSP nonce goes; each response swaps in its own nonce.
// Rendering the GOV.UK template is most of what such a page costs, so this takes it off the hot path.
const NONCE_PLACEHOLDER = 'csp-nonce-placeholder-0f3c9a';

export type PageCache = Readonly<{
  /** Send the cached page for `key`, rendering `view` with `context` when it is missing or older than the TTL. */
  send(res: Response, key: string, view: string, context?: () => Record<string, unknown>): void;
  clear(): void;
}>;

export function createPageCache(
  views: nunjucks.Environment,
  options: { ttlMs: number; maxEntries?: number },
): PageCache {
  const pages = new Map<string, { html: string; at: number }>();
  const maxEntries = options.maxEntries ?? 500;
  return {
    send(res, key, view, context = () => ({})) {
      const now = Date.now();
      let page = pages.get(key);
      if (!page || now - page.at > options.ttlMs) {
        if (pages.size >= maxEntries) pages.clear();
        const html = views.render(view.endsWith('.njk') ? view : `${view}.njk`, {
          ...context(),
          cspNonce: NONCE_PLACEHOLDER,
        });
        page = { html, at: now };
        pages.set(key, page);
      }
      res.type('html').send(page.html.split(NONCE_PLACEHOLDER).join(String(res.locals.cspNonce)));
    },
    clear: () => pages.clear(),
  };
}
