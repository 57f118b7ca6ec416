// The built UI (ui/dist) in a real browser engine: Debian's Chromium driven by playwright-core.
// Run `npm run build` first. Never skips: a missing browser or build is a failure.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', '..', 'dist');
const out = join(here, 'out');
const CHROMIUM = '/usr/bin/chromium';

const views = [
  ['connections', 'Connections'],
  ['genome', 'Genome'],
  ['tenants', 'Tenants'],
  ['workload', 'Workload'],
  ['advisor', 'Advisor'],
  ['timeline', 'Timeline'],
  ['types', 'Types'],
];

/** @typedef {import('playwright-core').Page} Page */
/** @type {{ url: string, close: () => Promise<void> } | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
/** @type {string[]} Console errors, failed requests and uncaught exceptions; a clean shell has none. */
const pageErrors = [];

/**
 * A fresh page (own context, so no shared localStorage) on the app, after its first render.
 * @param {{ colorScheme?: 'light' | 'dark', initScript?: () => void }} [options]
 * @returns {Promise<Page>}
 */
async function openPage({ colorScheme = 'light', initScript } = {}) {
  if (!browser || !server) throw new Error('browser not started');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`http ${response.status()}: ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  if (initScript) await page.addInitScript(initScript);
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

/** @param {Page} page */
const heading = (page) => page.getByRole('heading', { level: 1 }).textContent();
/** @param {Page} page */
const theme = (page) => page.evaluate(() => document.documentElement.dataset.theme);

/** What must exist before the browser can start; reported as one failing test, never skipped. */
function missingPrerequisites() {
  const missing = [];
  if (!existsSync(CHROMIUM)) {
    missing.push(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-liberation; see .ci/install-system-deps).`);
  }
  if (!existsSync(join(dist, 'index.html'))) missing.push(`${dist}/index.html is missing: run \`npm run build\` first.`);
  return missing;
}

const missing = missingPrerequisites();
if (missing.length > 0) {
  it('has Chromium and a built UI', () => assert.fail(missing.join('\n')));
} else {
  registerSuites();
}

function registerSuites() {
  before(async () => {
    mkdirSync(out, { recursive: true });
    server = await serve(dist);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('shell in Chromium (browser preview, no Tauri)', () => {
    it('lists the seven views in the sidebar', async () => {
      const page = await openPage();
      const labels = await page.locator('nav[aria-label="Views"] a .label').allTextContents();
      assert.deepEqual(labels, views.map(([, label]) => label));
      assert.equal(await heading(page), 'Connections');
      await page.context().close();
    });

    it('opens each view from the sidebar, with its heading and empty state', async () => {
      const page = await openPage();
      for (const [id, label] of [...views.slice(1), views[0]]) {
        await page.locator(`nav a[data-view="${id}"]`).click();
        await page.waitForURL(`**/#/${id}`);
        assert.equal(await heading(page), label, `heading of #/${id}`);
        assert.equal(await page.locator('nav a[aria-current="page"]').getAttribute('data-view'), id);
        const empty = page.locator('section.empty');
        assert.ok(await empty.isVisible(), `#/${id} shows an empty state`);
        assert.match((await empty.textContent()) ?? '', /indexpilot demo/);
      }
      await page.context().close();
    });

    it('shows the browser-preview status', async () => {
      const page = await openPage();
      await page.getByText('Engine: not connected (browser preview)').waitFor();
      assert.match((await page.getByTestId('status-connection').textContent()) ?? '', /No connection/);
      await page.context().close();
    });

    it('switches views and focuses search from the keyboard, with help on "?"', async () => {
      const page = await openPage();
      await page.keyboard.press('Control+3');
      assert.equal(await heading(page), 'Tenants');
      await page.keyboard.press('Control+6');
      assert.equal(await heading(page), 'Timeline');
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'global-search');
      await page.keyboard.type('work');
      await page.keyboard.press('Enter');
      assert.equal(await heading(page), 'Workload');
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor();
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
      await page.context().close();
    });

    it('toggles the theme and remembers it across reloads', async () => {
      const page = await openPage({ colorScheme: 'light' });
      assert.equal(await theme(page), 'light');
      await page.screenshot({ path: join(out, 'shell.png') });
      await page.getByTestId('theme-toggle').click();
      assert.equal(await theme(page), 'dark');
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await theme(page), 'dark');
      await page.locator('nav a[data-view="advisor"]').click();
      await page.getByRole('heading', { level: 1, name: 'Advisor' }).waitFor();
      await page.screenshot({ path: join(out, 'shell-dark.png') });
      await page.context().close();
    });

    it('follows the OS theme when nothing is stored', async () => {
      const page = await openPage({ colorScheme: 'dark' });
      assert.equal(await theme(page), 'dark');
      await page.context().close();
    });
  });

  describe('shell in Chromium with a stand-in Tauri backend', () => {
    it('shows the engine version that app_info returns', async () => {
      const page = await openPage({
        initScript: () => {
          /** @type {any} */ (window).__TAURI_INTERNALS__ = {
            invoke: async (/** @type {string} */ cmd) => {
              if (cmd === 'app_info') return { name: 'IndexPilot', version: '0.1.0', engineVersion: '9.8.7' };
              throw { code: 'unknown_command', message: cmd };
            },
          };
        },
      });
      const engine = page.getByTestId('status-engine');
      await engine.getByText('9.8.7').waitFor();
      await page.context().close();
    });

    it('shows a command error in place', async () => {
      const page = await openPage({
        initScript: () => {
          /** @type {any} */ (window).__TAURI_INTERNALS__ = {
            invoke: async () => {
              throw { code: 'engine_unavailable', message: 'engine failed to start', hint: 'see the log file' };
            },
          };
        },
      });
      const engine = page.getByTestId('status-engine');
      await engine.getByText(/engine failed to start/).waitFor();
      assert.match((await engine.textContent()) ?? '', /see the log file/);
      await page.screenshot({ path: join(out, 'shell-error.png') });
      await page.context().close();
    });
  });

  describe('page health', () => {
    it('logged no errors', () => {
      assert.deepEqual(pageErrors, []);
    });
  });
}
