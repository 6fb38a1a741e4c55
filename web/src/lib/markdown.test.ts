import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { narrationHtml } from './markdown.js';

describe('narration as Markdown', () => {
  it('renders emphasis, quotes and one block per line', () => {
    expect(narrationHtml('The *fog* thins.\n> "Who goes there?"\nYou **run**.')).toBe(
      '<p>The <em>fog</em> thins.</p>\n<blockquote>\n<p>&quot;Who goes there?&quot;</p>\n</blockquote>\n<p>You <strong>run</strong>.</p>',
    );
    expect(narrationHtml('雾散了。\n\n你*跑*了起来。')).toBe('<p>雾散了。</p>\n<p>你<em>跑</em>了起来。</p>');
  });

  it('shows HTML, links and images as text', () => {
    const html = narrationHtml('<img src=x onerror=alert(1)> and <script>alert(2)</script> [x](javascript:alert(3)) ![i](data:text/html,boom)');
    expect(html).not.toMatch(/<img|<script|<a /i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('[x](javascript:alert(3))');
  });

  it('never lets a tag through, whatever the text', () => {
    const tagish = fc.stringMatching(/^[<>a-z =/"'*_\n`\[\]()!:-]{0,60}$/);
    fc.assert(
      fc.property(tagish, (text) => {
        const html = narrationHtml(text);
        // Only the tags micromark itself writes for Markdown may appear.
        const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
        return tags.every((t) => ['p', 'em', 'strong', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li', 'hr', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(t!));
      }),
    );
  });
});
