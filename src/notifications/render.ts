import { escapeHtml } from '../questions/question-type';

// One source per message (src/notifications/messages), two renderings: plain text first (what GOV.UK Notify
// sends as the text part, and what most people's mail apps show), and a simple HTML part made from the same blocks.

export type Block =
  | Readonly<{ kind: 'paragraph'; text: string }>
  | Readonly<{ kind: 'heading'; text: string }>
  /** Set apart: the reference, the request's text. */
  | Readonly<{ kind: 'inset'; text: string }>
  | Readonly<{ kind: 'link'; text: string; href: string }>
  | Readonly<{ kind: 'bullets'; items: readonly string[] }>
  /** Label and value pairs, as on check your answers. A value may span lines. */
  | Readonly<{ kind: 'answers'; rows: readonly Readonly<{ key: string; lines: readonly string[] }>[] }>;

export type MessageSource = Readonly<{ subject: string; blocks: readonly Block[] }>;
export type RenderedMessage = Readonly<{ subject: string; text: string; html: string }>;

const textOf = (block: Block): string => {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'heading':
      return `${block.text}\n${'-'.repeat(Math.min(block.text.length, 60))}`;
    case 'inset':
      return block.text
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n');
    case 'link':
      return `${block.text}:\n${block.href}`;
    case 'bullets':
      return block.items.map((item) => `* ${item}`).join('\n');
    case 'answers':
      return block.rows
        .map((row) => `${row.key}:\n${row.lines.map((l) => `  ${l}`).join('\n')}`)
        .join('\n\n');
  }
};

const FONT = 'font-family: Helvetica, Arial, sans-serif; font-size: 19px; line-height: 1.3; color: #0b0c0c;';
const multiline = (text: string) => text.split('\n').map(escapeHtml).join('<br>');

const htmlOf = (block: Block): string => {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="${FONT} margin: 0 0 20px;">${multiline(block.text)}</p>`;
    case 'heading':
      return `<h2 style="${FONT} font-size: 24px; font-weight: bold; margin: 30px 0 15px;">${escapeHtml(block.text)}</h2>`;
    case 'inset':
      return `<p style="${FONT} border-left: 10px solid #b1b4b6; padding: 15px; margin: 0 0 20px;">${multiline(block.text)}</p>`;
    case 'link':
      return `<p style="${FONT} margin: 0 0 20px;"><a href="${escapeHtml(block.href)}" style="color: #1d70b8;">${escapeHtml(block.text)}</a></p>`;
    case 'bullets':
      return `<ul style="${FONT} margin: 0 0 20px;">${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'answers':
      return `<dl style="${FONT} margin: 0 0 20px;">${block.rows
        .map(
          (row) =>
            `<dt style="font-weight: bold; margin-top: 10px;">${escapeHtml(row.key)}</dt><dd style="margin: 0;">${row.lines.map(escapeHtml).join('<br>')}</dd>`,
        )
        .join('')}</dl>`;
  }
};

/** The plain-text and HTML parts of one message. Everything a person wrote is escaped in the HTML. */
export function renderMessage(source: MessageSource, branding: Readonly<{ organisationName: string }>) {
  const text = `${source.blocks.map(textOf).join('\n\n')}\n\n${branding.organisationName}\n`;
  const html =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(source.subject)}</title></head>` +
    `<body style="margin: 0; padding: 20px;"><div style="max-width: 580px;">` +
    source.blocks.map(htmlOf).join('') +
    `<p style="${FONT} margin: 0;">${escapeHtml(branding.organisationName)}</p></div></body></html>`;
  return { subject: source.subject, text, html } satisfies RenderedMessage;
}
