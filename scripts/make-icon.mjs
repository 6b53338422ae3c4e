#!/usr/bin/env node
// Draws Marketdesk's icon and writes it as PNG: build/icon.png (1024x1024; electron-builder makes
// the Windows .ico and the macOS .icns from it) and build/icons/<N>x<N>.png (the Linux set, each
// size drawn at its own resolution rather than scaled down). No image library: the shapes are
// signed distance functions with analytic anti-aliasing, the PNG is encoded with node:zlib.
//
// The mark: a market stall (striped awning on a rail, two posts, a counter) with three plugin
// blocks stacked on the counter, on a rounded tile in the app's accent blue (renderer/src/styles/theme.css).
//
//   node scripts/make-icon.mjs           write the files
//   node scripts/make-icon.mjs --check   exit 1 when a committed file's pixels differ from a fresh drawing
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];

// Colours (sRGB), from the theme: accent #0b57b8 and the dark theme's tints.
const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const TILE_TOP = hex('#1a6fd8');
const TILE_BOTTOM = hex('#0b4a9e');
const WHITE = hex('#ffffff');
const AMBER = hex('#ffd27a'); // --warn-text (dark)
const GREEN = hex('#8be0a8'); // --ok-text (dark)
const SKY = hex('#9cc3ff'); // --focus (dark)
const POST = hex('#cfe0f7');

// Signed distances in the 1024-unit design space (negative inside).
function roundedRect(px, py, x0, y0, x1, y1, r) {
  const qx = Math.abs(px - (x0 + x1) / 2) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(py - (y0 + y1) / 2) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function circle(px, py, cx, cy, r) {
  return Math.hypot(px - cx, py - cy) - r;
}

// The awning: five stripes over x 252..772, y 290..380, each with a scalloped lower edge.
const AWNING = { x0: 252, x1: 772, y0: 290, y1: 380, stripes: 5 };
const STRIPE = (AWNING.x1 - AWNING.x0) / AWNING.stripes;
function awning(px, py) {
  let d = roundedRect(px, py, AWNING.x0, AWNING.y0, AWNING.x1, AWNING.y1 + 1, 0);
  for (let i = 0; i < AWNING.stripes; i++)
    d = Math.min(d, circle(px, py, AWNING.x0 + STRIPE * (i + 0.5), AWNING.y1, STRIPE / 2));
  return d;
}
// Inside stripes 0, 2 and 4 (the amber ones), as a distance along x only.
function amberStripe(px) {
  const i = Math.floor((px - AWNING.x0) / STRIPE);
  const left = AWNING.x0 + i * STRIPE;
  const inside = Math.min(px - left, left + STRIPE - px);
  return i % 2 === 0 ? -inside : inside;
}

// A plugin block: a rounded square with two connector studs on top.
function block(px, py, x0, y0, size) {
  const body = roundedRect(px, py, x0, y0, x0 + size, y0 + size, 16);
  const left = roundedRect(px, py, x0 + 18, y0 - 14, x0 + 46, y0 + 8, 6);
  const right = roundedRect(px, py, x0 + size - 46, y0 - 14, x0 + size - 18, y0 + 8, 6);
  return Math.min(body, left, right);
}

/** The shapes, back to front: a distance function and a colour (or a colour function of the point). */
const LAYERS = [
  {
    d: (x, y) => roundedRect(x, y, 100, 100, 924, 924, 186),
    colour: (_x, y) => mix(TILE_TOP, TILE_BOTTOM, (y - 100) / 824),
  },
  { d: (x, y) => roundedRect(x, y, 270, 300, 302, 720, 10), colour: POST },
  { d: (x, y) => roundedRect(x, y, 722, 300, 754, 720, 10), colour: POST },
  { d: (x, y) => roundedRect(x, y, 232, 252, 792, 292, 20), colour: WHITE },
  { d: awning, colour: WHITE },
  { d: (x, y) => Math.max(awning(x, y), amberStripe(x)), colour: AMBER },
  { d: (x, y) => roundedRect(x, y, 212, 690, 812, 758, 18), colour: WHITE },
  { d: (x, y) => block(x, y, 397, 582, 108), colour: GREEN },
  { d: (x, y) => block(x, y, 519, 582, 108), colour: SKY },
  { d: (x, y) => block(x, y, 458, 462, 108), colour: AMBER },
];

function mix(a, b, t) {
  const k = Math.min(1, Math.max(0, t));
  return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * k);
}

/** The icon at `size` x `size` as straight-alpha RGBA bytes. */
export function renderIcon(size) {
  const scale = size / 1024;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / scale;
      const y = (py + 0.5) / scale;
      // Premultiplied "over" compositing; coverage from the distance in pixels.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of LAYERS) {
        const coverage = Math.min(1, Math.max(0, 0.5 - layer.d(x, y) * scale));
        if (coverage === 0) continue;
        const c = typeof layer.colour === 'function' ? layer.colour(x, y) : layer.colour;
        r = c[0] * coverage + r * (1 - coverage);
        g = c[1] * coverage + g * (1 - coverage);
        b = c[2] * coverage + b * (1 - coverage);
        a = coverage + a * (1 - coverage);
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** CRC-32 as PNG wants it: zlib.crc32 (Node 20.15+), else a table. */
function crc32(buffer) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buffer);
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** An 8-bit RGBA PNG, each row with the filter that makes it smallest (sum of absolute values). */
export function encodePng(width, height, rgba) {
  const stride = width * 4;
  const rows = [];
  const zero = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : zero;
    let best = null;
    let bestCost = Infinity;
    for (let filter = 0; filter <= 4; filter++) {
      const out = Buffer.alloc(stride + 1);
      out[0] = filter;
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const left = i >= 4 ? row[i - 4] : 0;
        const upLeft = i >= 4 ? up[i - 4] : 0;
        const predictor = [0, left, up[i], (left + up[i]) >> 1, paeth(left, up[i], upLeft)][filter];
        const value = (row[i] - predictor) & 0xff;
        out[i + 1] = value;
        cost += value < 128 ? value : 256 - value;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = out;
      }
    }
    rows.push(best);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The RGBA pixels of a PNG written by encodePng (8-bit RGBA, not interlaced), for --check. */
export function decodePng(png) {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const upLeft = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      rgba[y * stride + i] = (raw[y * (stride + 1) + 1 + i] + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

function outputs() {
  return [
    { file: join(root, 'build', 'icon.png'), size: 1024 },
    ...LINUX_SIZES.map((size) => ({ file: join(root, 'build', 'icons', `${size}x${size}.png`), size })),
  ];
}

function main(argv) {
  const check = argv.includes('--check');
  let stale = 0;
  for (const { file, size } of outputs()) {
    const rgba = renderIcon(size);
    const name = file.slice(root.length + 1);
    if (check) {
      let same = false;
      try {
        const committed = decodePng(readFileSync(file));
        same = committed.width === size && committed.height === size && committed.rgba.equals(rgba);
      } catch {
        same = false;
      }
      console.log(`${same ? 'ok   ' : 'STALE'} ${name}`);
      if (!same) stale++;
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, encodePng(size, size, rgba));
      console.log(`wrote ${name}`);
    }
  }
  if (stale > 0) {
    console.error(`${stale} icon file(s) differ from scripts/make-icon.mjs: run it without --check.`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
