/**
 * Finding one constant's definition in a PHP file without evaluating the rest of it, e.g.
 * `GLPI_VERSION` in GLPI's inc/define.php or src/autoload/constants.php (glpi-instance-layout.md).
 */
import { lexPhp } from './lexer';
import { closerOf, isOp, isWord } from './tokens';

export type LiteralConstant = { value: string } | { unresolved: string } | null;

/**
 * The first definition of `name` as `define('NAME', 'literal')` or `const NAME = 'literal';`:
 * its value, or the source of the definition when the value is not a plain string literal,
 * or null when the file does not define it.
 */
export function findStringConstant(src: string, name: string): LiteralConstant {
  const toks = lexPhp(src).toks;
  for (let i = 0; i < toks.length; i++) {
    const head = toks[i];
    if (!head) break;
    if (isWord(head, 'define') && isOp(toks[i + 1], '(') && toks[i + 2]?.v === name) {
      if (toks[i + 2]?.t !== 'str' || !isOp(toks[i + 3], ',')) continue;
      const v = toks[i + 4];
      if (v?.t === 'str' && !v.interp && isOp(toks[i + 5], ')')) return { value: v.v };
      const close = closerOf(toks, i + 1);
      return { unresolved: src.slice(head.start, toks[close]?.end ?? head.end) };
    }
    if (isWord(head, 'const') && toks[i + 1]?.v === name && isOp(toks[i + 2], '=')) {
      const v = toks[i + 3];
      if (v?.t === 'str' && !v.interp && isOp(toks[i + 4], ';')) return { value: v.v };
      return { unresolved: src.slice(head.start, (v ?? head).end) };
    }
  }
  return null;
}
