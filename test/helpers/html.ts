import * as cheerio from 'cheerio';

export const parseHtml = (html: string) => cheerio.load(html);
