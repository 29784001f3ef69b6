import express from 'express';
import { loadConfig } from '../../src/config';
import { setUpNunjucks } from '../../src/middleware/nunjucks';

describe('the nl2br filter', () => {
  const env = setUpNunjucks(express(), loadConfig({ NODE_ENV: 'test' }), 'v1');

  it('breaks lines with HTML <br>, not XHTML <br />, after escaping the text', () => {
    expect(env.renderString('{{ text | escape | nl2br }}', { text: 'Line one\r\n<b>two</b>\nthree' })).toBe(
      'Line one<br>\n&lt;b&gt;two&lt;/b&gt;<br>\nthree',
    );
  });

  it('keeps unescaped input unsafe, so the autoescape still applies to it and to the breaks', () => {
    expect(env.renderString('{{ text | nl2br }}', { text: '<i>a</i>\nb' })).toBe(
      '&lt;i&gt;a&lt;/i&gt;&lt;br&gt;\nb',
    );
  });

  it('renders nothing for a missing value', () => {
    expect(env.renderString('[{{ text | nl2br }}]', {})).toBe('[]');
  });
});
