import { render } from '@testing-library/react';
import { htmlToText } from '../../../shared/html-text';
import { safeUrl, SafeMarkdown } from './safe-markdown';

describe('safeUrl', () => {
  it.each([
    ['https://example.com/a', 'href', 'https://example.com/a'],
    ['http://example.com/a', 'href', 'http://example.com/a'],
    ['mailto:dev@example.com', 'href', 'mailto:dev@example.com'],
    ['mailto:dev@example.com', 'src', null],
    ['javascript:alert(1)', 'href', null],
    [' JaVaScRiPt:alert(1)', 'href', null],
    ['java\nscript:alert(1)', 'href', null],
    ['data:text/html,<script>alert(1)</script>', 'href', null],
    ['vbscript:msgbox', 'href', null],
    ['file:///etc/passwd', 'href', null],
    ['/relative/path', 'href', null],
    ['#anchor', 'href', null],
  ])('%s as %s → %s', (url, key, expected) => {
    expect(safeUrl(url, key)).toBe(expected);
  });
});

describe('htmlToText', () => {
  it('keeps the text, drops scripts, styles, comments and tags, decodes entities', () => {
    expect(
      htmlToText(
        '<p>One &amp; two</p><!-- hidden --><script>alert(1)</script><style>p{}</style><br>Three&nbsp;&#233;&#x41;',
      ),
    ).toEqual(['One & two', 'Three éA']);
  });

  it('drops an unclosed script to the end and a tag cut in the middle', () => {
    expect(htmlToText('Before<script>alert(1)')).toEqual(['Before']);
    expect(htmlToText('Text <img src=x onerror=alert(1)')).toEqual(['Text']);
  });

  it('never turns decoded entities into markup', () => {
    const { container } = render(<SafeMarkdown source={'<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container).toHaveTextContent('<script>alert(1)</script>');
  });
});

describe('links written in HTML', () => {
  it('become safe links, block or inline; unsafe ones stay text', () => {
    const source = [
      '<p>More on <a href="https://example.com/site" target="_blank" onclick="steal()">the &amp; site</a>.</p>',
      '',
      'Inline <a href="https://example.com/inline">here</a> and <a href="javascript:alert(1)">there</a>.',
      '',
      '<div><a href=\'javascript:alert(2)\'>bad block</a> <a href="data:text/html,x">data</a></div>',
    ].join('\n');
    const { container } = render(<SafeMarkdown source={source} />);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['the & site', 'https://example.com/site'],
      ['here', 'https://example.com/inline'],
    ]);
    for (const a of links) {
      expect(a).toHaveAttribute('rel', 'noopener noreferrer');
      expect(a).not.toHaveAttribute('onclick');
    }
    expect(container).toHaveTextContent('More on the & site.');
    expect(container).toHaveTextContent('Inline here and there.');
    expect(container).toHaveTextContent('bad block data');
    expect(container.innerHTML).not.toMatch(/javascript:|data:text|onclick/);
  });
});
