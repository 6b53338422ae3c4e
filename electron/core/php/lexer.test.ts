import { describe, expect, it } from 'vitest';
import { findStringConstant } from './constants';
import { lexPhp, type PhpToken } from './lexer';
import { PhpTokens } from './tokens';

const shape = (toks: PhpToken[]): string[] => toks.map((t) => `${t.t}:${t.v}${t.interp ? '*' : ''}`);
const lex = (src: string): string[] => shape(lexPhp(src).toks);

describe('lexPhp', () => {
  it('skips inline HTML, comments and attributes; `?>` counts as `;`', () => {
    const src = `<html><?php # hash\n// line ?>text<?= /* block */ $a #[Attr(1)]\n ?>tail`;
    expect(lex(src)).toEqual(['op:;', 'var:a', 'op:;']);
    expect(lexPhp(src).sawPhp).toBe(true);
  });

  it('reports a file without an opening tag', () => {
    expect(lexPhp('define("A", 1);')).toEqual({ toks: [], sawPhp: false });
  });

  it('decodes single- and double-quoted strings and flags interpolation', () => {
    expect(lex(String.raw`<?php 'it\'s \n \\' "a\tb\x41\101\u{263A}\$c\q" "v $x" "w {$y}" ` + '`ls`')).toEqual([
      "str:it's \\n \\",
      'str:a\tbAA☺$c\\q',
      'str:v $x*',
      'str:w {$y}*',
      'str:ls*',
    ]);
  });

  it('reads a heredoc as one token carrying its label', () => {
    expect(lex("<?php $a = <<<'EOT'\nx; y\n  EOT;\n$b")).toEqual(['var:a', 'op:=', 'doc:EOT', 'op:;', 'var:b']);
  });

  it('reads names (namespaced too), numbers and the longest operator', () => {
    expect(lex('<?php \\Safe\\define(A::B, 1_000, 0x1F, .5, 2.5e3) ?-> !== <=> .= ...')).toEqual([
      'id:\\Safe\\define',
      'op:(',
      'id:A',
      'op:::',
      'id:B',
      'op:,',
      'num:1_000',
      'op:,',
      'num:0x1F',
      'op:,',
      'num:.5',
      'op:,',
      'num:2.5e3',
      'op:)',
      'op:?->',
      'op:!==',
      'op:<=>',
      'op:.=',
      'op:...',
    ]);
  });

  it('keeps source offsets on every token', () => {
    const src = "<?php  define('X', 1);";
    const toks = lexPhp(src).toks;
    expect(toks.map((t) => src.slice(t.start, t.end))).toEqual(['define', '(', "'X'", ',', '1', ')', ';']);
  });
});

describe('PhpTokens', () => {
  const php = (src: string): PhpTokens => new PhpTokens(src, lexPhp(src).toks);

  it('matches brackets, splits on top-level separators and finds statement ends', () => {
    const p = php('<?php f(a, [b, c], (d)); if (x) { y; } else z; w;');
    expect(p.closer(1)).toBe(13);
    expect(p.closer(99)).toBe(-1);
    expect(p.match(1)).toBe(14);
    expect(p.split(2, 13).map(([a, b]) => p.text(a, b))).toEqual(['a', '[b, c]', '(d)']);
    expect(p.text(15, p.stmtEnd(15, p.toks.length))).toBe('if (x) { y; } else z;');
    expect(p.semi(0, p.toks.length)).toBe(14);
  });

  it('tests identifiers case-insensitively, without a leading backslash', () => {
    const p = php('<?php \\DEFINE');
    expect(p.isWord(0, 'define')).toBe(true);
    expect(p.is(0, 'id', 'define')).toBe(false);
  });

  it('collects top-level functions, not class methods, and keeps the first of a name', () => {
    const p = php(
      '<?php class K { function plugin_version_x() { return 1; } } function Plugin_Version_X() { return 2; } function plugin_version_x() {}',
    );
    p.collectFunctions();
    const fn = p.functions.get('plugin_version_x');
    expect(fn?.name).toBe('Plugin_Version_X');
    expect(p.text(...(fn?.body as [number, number]))).toBe('return 2;');
  });
});

describe('findStringConstant', () => {
  it('reads define() and const forms, and returns the source of a computed one', () => {
    expect(findStringConstant("<?php // define('V', 'no');\ndefine('V', '1.2');", 'V')).toEqual({ value: '1.2' });
    expect(findStringConstant("<?php const V = '2.0';", 'V')).toEqual({ value: '2.0' });
    expect(findStringConstant("<?php define('V', getenv('X'));", 'V')).toEqual({
      unresolved: "define('V', getenv('X'))",
    });
    expect(findStringConstant('<?php define("V", "$x");', 'V')).toEqual({ unresolved: 'define("V", "$x")' });
    expect(findStringConstant("<?php define('W', '1');", 'V')).toBeNull();
  });
});
