/**
 * The body of a real plugin release: hundreds of PHP classes, front and ajax controllers, JavaScript,
 * CSS, translations and binary assets (pictures, fonts, compiled translations), generated
 * deterministically from a label. The text is built from PHP-like statements over a vocabulary of
 * GLPI words and random identifiers, so that it compresses about as real plugin sources do (bzip2 and
 * gzip 4-9x), and the binary assets do not compress at all. Real releases are shaped so:
 * formcreator 2.13 is 877 KB of .tar.bz2 unpacking to 6.8 MB in ~600 files (ratio 7.7),
 * datainjection 2.13 is 3.1 MB unpacking to 4.6 MB (ratio 1.5: mostly pictures).
 */
import { mulberry32 } from '../../shared/seeded-random';
import { hashSeed } from './catalog-data';
import { createCipheriv, createHash } from 'node:crypto';
import type { ArchiveEntry } from './plugin-files';

/** Deterministic incompressible bytes (AES-128-CTR keystream seeded by the label). */
export function incompressible(bytes: number, label: string): Buffer {
  const digest = createHash('sha256').update(label).digest();
  const cipher = createCipheriv('aes-128-ctr', digest.subarray(0, 16), digest.subarray(16, 32));
  return Buffer.concat([cipher.update(Buffer.alloc(bytes)), cipher.final()]);
}

export interface SourceShape {
  /** Text files (PHP, JS, CSS, .po), spread over inc/, src/, front/, ajax/, js/, css/, locales/. */
  textFiles: number;
  /** Their total size, bytes (each file gets a share of it, from 200 bytes up). */
  textBytes: number;
  /** Binary assets (pics/, fonts/, locales/*.mo). */
  binaryFiles: number;
  /** Their total size, bytes. */
  binaryBytes: number;
}

/** Shapes of some real releases, for the stand-in's archives of these keys and for tests. */
export const REAL_SHAPES: Readonly<Record<string, SourceShape>> = {
  // 877 KB .tar.bz2 → 6.8 MB (ratio 7.7).
  formcreator: { textFiles: 560, textBytes: 6_300_000, binaryFiles: 30, binaryBytes: 250_000 },
  // 3.1 MB .tar.bz2 → 4.6 MB (ratio 1.5).
  datainjection: { textFiles: 180, textBytes: 1_900_000, binaryFiles: 60, binaryBytes: 2_600_000 },
  // A few hundred small PHP files: 630 KB → 1.5 MB (ratio 2.5).
  fields: { textFiles: 320, textBytes: 1_050_000, binaryFiles: 12, binaryBytes: 420_000 },
};

export interface SourceFile {
  /** Relative to the plugin folder. */
  path: string;
  data: Buffer;
}

const WORDS = (
  'ticket item user group entity profile rule form question section answer target field container ' +
  'dropdown computer monitor network printer software license contract supplier document budget ' +
  'location state category type model manufacturer project task change problem knowbase reminder ' +
  'notification mail queue cron log config right plugin install update migration table column index ' +
  'value label comment name date status priority urgency impact request validation approval condition ' +
  'display search option massive action history import export model mapping injection template'
).split(' ');
const VERBS = 'get set add update delete show display check can is has prepare post pre load save count find'.split(
  ' ',
);
const PHRASES = (
  'The item has been updated|Do you want to delete this element|No item found|Select a value|' +
  'You do not have the right to do this|This field is mandatory|Import finished with errors|' +
  'The form has been successfully saved|Target ticket|Access restriction|Show on the helpdesk'
).split('|');

class Text {
  private readonly rand: () => number;
  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  word(): string {
    return this.pick(WORDS);
  }
  /** An identifier such as `getTicketCategory3` or `plugin_fields_value`. */
  ident(camel: boolean): string {
    const parts = [this.pick(VERBS), this.word(), ...(this.int(2) ? [this.word()] : [])];
    const suffix = this.int(4) === 0 ? String(this.int(100)) : '';
    if (!camel) return parts.join('_') + suffix;
    return parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join('') + suffix;
  }
  phpLine(plugin: string): string {
    switch (this.int(8)) {
      case 0:
        return `        $${this.ident(false)} = $this->${this.ident(true)}($${this.word()}, ${this.int(1000)});`;
      case 1:
        return `        if (!isset($input['${this.word()}_id']) || $input['${this.word()}'] == ${this.int(50)}) {`;
      case 2:
        return `            return __('${this.pick(PHRASES)}', '${plugin}');`;
      case 3:
        return `        $DB->update('glpi_plugin_${plugin}_${this.word()}s', ['${this.word()}' => $${this.word()}], ['id' => $${this.word()}_id]);`;
      case 4:
        return `        }`;
      case 5:
        return `        // ${this.pick(PHRASES)} (${this.word()} ${this.word()}, see #${this.int(9000)})`;
      case 6:
        return `        foreach ($${this.word()}s as $${this.word()} => $${this.ident(false)}) {`;
      default:
        return `        Html::${this.ident(true)}(['${this.word()}' => $${this.word()}, 'display' => ${this.int(2) ? 'true' : 'false'}]);`;
    }
  }
  jsLine(): string {
    switch (this.int(4)) {
      case 0:
        return `    $('#${this.word()}_${this.int(200)}').on('change', function () { ${this.ident(true)}(this.value); });`;
      case 1:
        return `    var ${this.ident(true)} = ${this.ident(true)}(options.${this.word()}, ${this.int(100)});`;
      case 2:
        return `    if (${this.word()}.length > ${this.int(30)}) { return false; }`;
      default:
        return `    }`;
    }
  }
  cssRule(): string {
    return `.${this.word()}-${this.word()} .${this.word()} {\n  margin: ${this.int(20)}px ${this.int(20)}px;\n  color: #${this.int(0xffffff).toString(16).padStart(6, '0')};\n}`;
  }
}

const LICENCE = [
  '/**',
  ' * -------------------------------------------------------------------------',
  ' * LICENSE',
  ' *',
  ' * This file is part of the plugin.',
  ' *',
  ' * It is free software: you can redistribute it and/or modify it under the terms of the GNU',
  ' * General Public License as published by the Free Software Foundation, either version 3 of',
  ' * the License, or (at your option) any later version.',
  ' * -------------------------------------------------------------------------',
  ' */',
].join('\n');

function textFile(t: Text, plugin: string, dir: string, index: number, bytes: number): SourceFile {
  const lines: string[] = [];
  let size = 0;
  const add = (line: string): void => {
    lines.push(line);
    size += line.length + 1;
  };
  let ext = 'php';
  if (dir === 'js') {
    ext = 'js';
    add(`/* ${plugin}: ${t.word()} ${t.word()} */`);
    add(`function ${t.ident(true)}(options) {`);
    while (size < bytes) add(t.jsLine());
  } else if (dir === 'css') {
    ext = 'css';
    while (size < bytes) add(t.cssRule());
  } else if (dir === 'locales') {
    ext = 'po';
    add(`msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n`);
    while (size < bytes) {
      add(`#: inc/${t.word()}.class.php:${t.int(900)}\nmsgid "${t.pick(PHRASES)} ${t.word()}"`);
      add(`msgstr "${t.pick(PHRASES).split('').reverse().join('')} ${t.word()}"\n`);
    }
  } else {
    add('<?php');
    add(LICENCE);
    const cls = `Plugin${plugin[0]!.toUpperCase()}${plugin.slice(1)}${t.word()[0]!.toUpperCase()}${t.word()}${index}`;
    add(`class ${cls} extends CommonDBTM\n{`);
    while (size < bytes) {
      add(`    public function ${t.ident(true)}($${t.word()}, array $options = [])\n    {`);
      for (let i = 4 + t.int(12); i > 0 && size < bytes; i--) add(t.phpLine(plugin));
      add('    }\n');
    }
    add('}');
  }
  const folder = dir === 'locales' ? 'locales' : dir;
  const name =
    dir === 'locales' ? `${['fr_FR', 'de_DE', 'es_ES', 'it_IT', 'pt_BR'][index % 5]}_${index}` : `${t.word()}${index}`;
  return {
    path: `${folder}/${name}.${dir === 'inc' ? 'class.php' : ext}`,
    data: Buffer.from(lines.join('\n'), 'utf8'),
  };
}

const TEXT_DIRS = ['inc', 'inc', 'inc', 'src', 'front', 'ajax', 'js', 'css', 'locales'] as const;
const BINARY_DIRS = [
  ['pics', 'png'],
  ['fonts', 'woff2'],
  ['locales', 'mo'],
] as const;

/**
 * The files of a plugin release body, deterministic for a label. Sizes vary from file to file
 * (a few big classes, many small ones), as in real trees; totals match the shape within a few KB.
 */
export function sourceTree(plugin: string, shape: SourceShape, label = plugin): SourceFile[] {
  const t = new Text(hashSeed(label, 0x5eed));
  const files: SourceFile[] = [];
  const shares = (count: number, total: number): number[] => {
    const weights = Array.from({ length: count }, () => 0.2 + t.int(1000) / 200);
    const sum = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => Math.max(200, Math.round((w / sum) * total)));
  };
  shares(shape.textFiles, shape.textBytes).forEach((bytes, i) => {
    files.push(textFile(t, plugin, TEXT_DIRS[i % TEXT_DIRS.length]!, i, bytes));
  });
  shares(shape.binaryFiles, shape.binaryBytes).forEach((bytes, i) => {
    const [dir, ext] = BINARY_DIRS[i % BINARY_DIRS.length]!;
    files.push({ path: `${dir}/asset${i}.${ext}`, data: incompressible(bytes, `${label}/${i}`) });
  });
  return files;
}

/**
 * `files` as archive entries under `top/`, each folder's entry before its first file (folders in
 * `existing`, e.g. `inc/`, are taken as already there).
 */
export function treeEntries(
  top: string,
  files: readonly SourceFile[],
  mtime: Date,
  existing: ReadonlySet<string> = new Set(),
): ArchiveEntry[] {
  const seen = new Set(existing);
  const out: ArchiveEntry[] = [];
  for (const f of files) {
    const folder = f.path.slice(0, f.path.lastIndexOf('/') + 1);
    if (folder && !seen.has(folder)) {
      seen.add(folder);
      out.push({ path: `${top}/${folder}`, type: 'dir', data: Buffer.alloc(0), mode: 0o755, mtime });
    }
    out.push({ path: `${top}/${f.path}`, type: 'file', data: f.data, mode: 0o644, mtime });
  }
  return out;
}

/** A whole release for tests: the `key/` folder, a minimal setup.php and a tree of `shape`. */
export function releaseEntries(
  key: string,
  shape: SourceShape,
  mtime = new Date('2024-05-02T12:00:00Z'),
): ArchiveEntry[] {
  return [
    { path: `${key}/`, type: 'dir', data: Buffer.alloc(0), mode: 0o755, mtime },
    { path: `${key}/setup.php`, type: 'file', data: Buffer.from(`<?php\ndefine('V', '1.0.0');\n`), mode: 0o644, mtime },
    ...treeEntries(key, sourceTree(key, shape), mtime),
  ];
}
