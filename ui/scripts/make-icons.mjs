// Draws the app icon with ImageMagick and derives the platform icon set with the Tauri CLI.
// Offline: needs /usr/bin/convert (Debian `imagemagick`) and the @tauri-apps/cli package.
//   icons/app-icon.png  1024×1024 RGBA source (a B-tree on a blue rounded square; the same
//                       geometry as src/lib/components/AppMark.svelte)
//   icons/icon.png, 32x32.png, 128x128.png, 128x128@2x.png, icon.ico, icon.icns, …
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(ui, '..', 'icons');
const source = join(out, 'app-icon.png');
const convert = '/usr/bin/convert'; // `convert` on PATH may not be ImageMagick

if (!existsSync(convert)) {
  console.error(`make-icons: ${convert} not found; install ImageMagick (apt-get install imagemagick).`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });

/** @type {(x0: number, y0: number, x1: number, y1: number, r: number) => string} */
const roundRect = (x0, y0, x1, y1, r) => `roundrectangle ${x0},${y0} ${x1},${y1} ${r},${r}`;

execFileSync(
  convert,
  [
    '-size', '1024x1024', 'gradient:#3d8bfd-#1f56c9',
    '(', '-size', '1024x1024', 'xc:none', '-fill', 'white', '-draw', roundRect(48, 48, 975, 975, 200), ')',
    '-compose', 'DstIn', '-composite', '-compose', 'Over',
    // edges from the root to its children
    '-fill', 'none', '-stroke', 'white', '-strokewidth', '44',
    '-draw', 'stroke-linecap round line 462,330 330,640',
    '-draw', 'stroke-linecap round line 562,330 694,640',
    // root, two children and the linked leaf level
    '-stroke', 'none', '-fill', 'white',
    '-draw', roundRect(352, 232, 672, 372, 36),
    '-draw', roundRect(170, 584, 490, 724, 36),
    '-draw', roundRect(534, 584, 854, 724, 36),
    '-draw', roundRect(170, 790, 854, 830, 20),
    // key separators inside the nodes
    '-fill', '#2a6ae6',
    '-draw', roundRect(498, 262, 526, 342, 10),
    '-draw', roundRect(316, 614, 344, 694, 10),
    '-draw', roundRect(680, 614, 708, 694, 10),
    '-define', 'png:exclude-chunk=date,time', // reproducible bytes: no timestamps
    'PNG32:' + source,
  ],
  { stdio: 'inherit' },
);
console.log(`make-icons: wrote ${source}`);

const tauri = join(ui, 'node_modules', '.bin', 'tauri');
execFileSync(tauri, ['icon', source, '-o', out], { stdio: 'inherit', cwd: ui });
// IndexPilot is a desktop app: drop the mobile sets the CLI also writes.
for (const mobile of ['android', 'ios']) rmSync(join(out, mobile), { recursive: true, force: true });
console.log(`make-icons: icon set in ${out}`);
