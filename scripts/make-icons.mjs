#!/usr/bin/env node
// Renders every icon the app and its installers use from the SVG sources in resources/src, so a
// change to the artwork is one edit and a run of this script (`npm run icons`), and the outputs
// committed in resources/ can be checked against their sources (`npm run icons -- --check`).
// Rendering is offline and deterministic: resvg (no system fonts or libraries) and png2icons.
import { Buffer } from 'node:buffer';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');
const source = (name) => readFile(join(resources, 'src', name), 'utf8');

/** Sizes Linux desktops look for in an icon theme (electron-builder copies them as NxN.png). */
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
/** The tray draws 16 px at 1x; @2x is for HiDPI screens and macOS Retina menu bars. */
const TRAY_SCALES = [
  { suffix: '', size: 16 },
  { suffix: '@2x', size: 32 },
];

/**
 * The tray states and their badges on the padlock: a check when credentials are fresh, a clock
 * when they will end soon, a bang when renewing fails. In colour on Windows and Linux; on macOS a
 * template image (black and clear), which the menu bar tints, so the badge is the shape alone.
 */
const BADGES = {
  idle: null,
  ok: { colour: '#1f8a4c', glyph: 'M21.5 25.2l2.4 2.4 4.6-5' },
  expiring: { colour: '#c77700', glyph: 'M25 21.2V25.5h3' },
  error: { colour: '#c8321f', glyph: 'M25 21v4.6M25 28.4v.2' },
};
/** A slate that keeps 3:1 contrast on both light and dark taskbars and panels. */
const LOCK_COLOUR = '#5b6b80';

function trayIconSvg(lockSvg, badge, template) {
  const lockFill = template ? '#000000' : LOCK_COLOUR;
  let svg = lockSvg.replaceAll('"LOCK"', `"${lockFill}"`);
  if (!badge) return svg.replace('<!--CUT-->', '').replace('<!--BADGE-->', '');
  svg = svg.replace('<!--CUT-->', '<circle cx="25" cy="25" r="8.5" fill="#000"/>');
  const glyph = `<path d="${badge.glyph}" fill="none" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"`;
  const drawn = template
    ? // The glyph is cut out of a black disc: the tint shows through as the disc, the bar as the glyph.
      `<mask id="glyph"><rect width="32" height="32" fill="#fff"/>${glyph} stroke="#000"/></mask>` +
      `<circle cx="25" cy="25" r="7" fill="#000" mask="url(#glyph)"/>`
    : `<circle cx="25" cy="25" r="7" fill="${badge.colour}"/>${glyph} stroke="#ffffff"/>`;
  return svg.replace('<!--BADGE-->', drawn);
}

function render(svg, size) {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng());
}

/** Every output file and its bytes. */
async function outputs() {
  const files = new Map();
  const appIcon = await source('app-icon.svg');
  const big = render(appIcon, 1024);
  // The window's icon on Linux, and electron-builder's fallback.
  files.set('icon.png', render(appIcon, 512));
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, render(appIcon, size));
  files.set('icon.icns', png2icons.createICNS(big, png2icons.BICUBIC, 0));
  // PNG-compressed entries, at every size Windows asks for (16 to 256).
  files.set('icon.ico', png2icons.createICO(big, png2icons.BICUBIC, 0, true, true));

  const lock = await source('tray-lock.svg');
  for (const [state, badge] of Object.entries(BADGES)) {
    for (const { suffix, size } of TRAY_SCALES) {
      files.set(`tray-${state}${suffix}.png`, render(trayIconSvg(lock, badge, false), size));
      // macOS takes an image as a template when its name ends in "Template".
      files.set(`tray-${state}Template${suffix}.png`, render(trayIconSvg(lock, badge, true), size));
    }
  }
  return files;
}

async function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [name, bytes] of await outputs()) {
    const path = join(resources, name);
    if (check) {
      const committed = await readFile(path).catch(() => null);
      if (!committed || !committed.equals(bytes)) stale.push(relative(root, path));
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    }
  }
  if (stale.length > 0) {
    console.error(
      `These icons do not match their sources in resources/src: ${stale.join(', ')}. Run npm run icons and commit the result.`,
    );
    process.exitCode = 1;
  }
}

await main();
