// The built UI (ui/dist) in a real browser engine: Debian's Chromium driven by playwright-core.
// Run `npm run build` first. Never skips: a missing browser or build is a failure.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installFakeBackend } from './fake-backend.mjs';
import { serve } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', '..', 'dist');
const out = join(here, 'out');
const CHROMIUM = '/usr/bin/chromium';

const views = [
  ['connections', 'Connections'],
  ['overview', 'Overview'],
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
 * `backend` installs the stand-in Tauri backend (fake-backend.mjs) with those options.
 * @param {{ colorScheme?: 'light' | 'dark', initScript?: () => void, backend?: import('./fake-backend.mjs').FakeOptions, hash?: string }} [options]
 * @returns {Promise<Page>}
 */
async function openPage({ colorScheme = 'light', initScript, backend, hash = '' } = {}) {
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
  if (backend) await page.addInitScript(installFakeBackend, backend);
  await page.goto(server.url + hash);
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
    it('lists the eight views in the sidebar', async () => {
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
        // The view renders right after the hash changes; wait for it rather than race it.
        await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor({ timeout: 5000 }).catch(() => {});
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

    it('switches views and opens the palette from the keyboard, with help on "?"', async () => {
      const page = await openPage();
      await page.keyboard.press('Control+4');
      assert.equal(await heading(page), 'Tenants');
      await page.keyboard.press('Control+7');
      assert.equal(await heading(page), 'Timeline');
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'palette-input');
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

    it('finds a field, a statement and an action in the command palette, keyboard only', async () => {
      const page = await openPage({ backend: { active: 'staging' }, hash: '#/overview' });
      await page.keyboard.press('Control+k');
      const input = page.getByTestId('palette-input');
      await input.waitFor();
      await page.getByTestId('palette-status').filter({ hasNotText: 'Reading' }).waitFor();
      await page.keyboard.type('deals regin');
      const first = page.getByTestId('palette-item').first();
      assert.match((await first.getAttribute('data-key')) ?? '', /^Field:/);
      assert.match((await first.textContent()) ?? '', /public\.deals\.region/);
      await page.screenshot({ path: join(out, 'palette.png') });
      await page.keyboard.press('Enter');
      assert.equal(await heading(page), 'Genome');
      assert.equal(await page.getByLabel('Search fields').inputValue(), 'public.deals.region');

      // Ctrl+P as well; a statement opens its detail in the Workload view.
      await page.keyboard.press('Control+p');
      await page.getByTestId('palette-status').filter({ hasNotText: 'Reading' }).waitFor();
      await page.keyboard.type('deals tenant_id deleted_at');
      assert.match((await page.getByTestId('palette-item').first().getAttribute('data-key')) ?? '', /^Statement:/);
      await page.keyboard.press('Enter');
      assert.equal(await heading(page), 'Workload');
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Escape');

      // An action, found by a word it does not start with.
      await page.keyboard.press('Control+k');
      await page.keyboard.type('health');
      assert.equal(await page.getByTestId('palette-item').first().getAttribute('data-key'), 'Action:health');
      await page.keyboard.press('Enter');
      await page.getByRole('tab', { name: 'Index health', selected: true }).waitFor();
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
              if (cmd === 'app_info') return { name: 'IndexPilot', version: '0.1.0', engine_version: '9.8.7' };
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

  describe('views with a stand-in backend (100,000 fields)', () => {
    /** @type {import('./fake-backend.mjs').FakeOptions} */
    const big = { fields: 100_000, active: 'staging', tenants: 400 };

    for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
      it(`shows connections, a test report and the form (${colorScheme})`, async () => {
        const page = await openPage({ colorScheme, backend: { active: 'staging' }, hash: '#/connections' });
        const items = page.getByTestId('connection-item');
        await items.first().waitFor();
        assert.equal(await items.count(), 3);
        const status = page.getByTestId('status-connection');
        await status.getByText('CRM staging').waitFor();
        await page.getByRole('region', { name: 'CRM staging' }).waitFor();
        await page.getByRole('button', { name: 'Test' }).click();
        await page.getByTestId('connection-report').getByText('PostgreSQL 16.4').waitFor();
        await page.screenshot({ path: join(out, `connections-${colorScheme}.png`) });
        await items.nth(2).click();
        await page.getByRole('button', { name: 'Test' }).click();
        await page.getByRole('button', { name: 'Initialise IndexPilot' }).waitFor();
        await page.screenshot({ path: join(out, `connection-init-${colorScheme}.png`) });
        await items.first().click();
        await page.getByRole('button', { name: 'Edit' }).click();
        await page.getByRole('form', { name: 'Edit CRM production' }).waitFor();
        assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
        await page.screenshot({ path: join(out, `connection-form-${colorScheme}.png`) });
        await page.context().close();
      });
    }

    it('opens a connection on its overview, each item a link to the view that acts on it', async () => {
      const page = await openPage({ backend: { active: null }, hash: '#/connections' });
      await page.getByTestId('connection-item').nth(1).click();
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.waitForURL('**/#/overview');
      const items = page.getByTestId('attention-item');
      await items.first().waitFor();
      assert.deepEqual(await items.allTextContents(), [
        '1 change failed: retry or roll back',
        '5 proposals waiting for a decision (saving ~84K, 48 MB to build)',
        '1 experiment due for a verdict',
        '2 index health findings (up to 12 MB to reclaim)',
      ]);
      assert.match((await page.getByTestId('overview-server').textContent()) ?? '', /PostgreSQL 16\.4/);
      await page.screenshot({ path: join(out, 'overview.png') });
      await items.nth(1).getByRole('link').click();
      await page.waitForURL('**/#/advisor');
      // The hash changes before the view it names has rendered.
      await page.getByRole('heading', { level: 1, name: 'Advisor' }).waitFor();
      assert.equal(await heading(page), 'Advisor');

      // Every saved database at once: the one that does not answer first, then by attention.
      await page.locator('nav a[data-view="overview"]').click();
      await page.getByRole('tab', { name: 'All databases' }).click();
      const rows = page.getByTestId('overview-all-row');
      await rows.first().waitFor();
      assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), ['timed_out', 'read', 'read']);
      assert.match((await rows.first().textContent()) ?? '', /no answer: no answer from dba@db\.prod\.internal/);
      await page.screenshot({ path: join(out, 'overview-all.png') });
      await page.context().close();
    });

    it('initialises with a progress bar fed by "progress" events', async () => {
      const page = await openPage({ backend: { active: null }, hash: '#/connections' });
      await page.getByTestId('connection-item').nth(2).click();
      await page.getByRole('button', { name: 'Test' }).click();
      await page.getByRole('button', { name: 'Initialise IndexPilot' }).click();
      await page.getByRole('progressbar', { name: 'Initialising IndexPilot' }).waitFor();
      await page.getByTestId('init-panel').getByText(/Metadata version 3/).waitFor();
      await page.getByTestId('status-connection').getByText('Local demo').waitFor();
      await page.context().close();
    });

    for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
      it(`renders, scrolls and filters 100,000 fields (${colorScheme})`, async () => {
        const page = await openPage({ colorScheme, backend: big, hash: '#/genome' });
        const count = page.getByTestId('genome-count');
        await count.getByText('100,000 fields').waitFor({ timeout: 30_000 });
        const rows = page.locator('[data-testid="genome-table"] [role="row"][data-field]');
        const rendered = await rows.count();
        assert.ok(rendered > 10 && rendered < 120, `only the visible rows are in the DOM (${rendered})`);
        await page.screenshot({ path: join(out, `genome-${colorScheme}.png`) });
        if (colorScheme === 'dark') {
          await page.context().close();
          return;
        }

        // Scroll through the whole list in steps, one frame each, then to the very end.
        const viewport = page.locator('[data-testid="genome-table"] [role="table"]');
        const frameMs = await viewport.evaluate(async (element) => {
          const steps = 60;
          const start = performance.now();
          for (let i = 1; i <= steps; i++) {
            element.scrollTop = (element.scrollHeight * i) / steps;
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
          }
          return (performance.now() - start) / steps;
        });
        await page.locator('[role="row"][aria-rowindex="100001"]').waitFor();
        assert.ok((await rows.count()) < 120, 'still only the visible rows after scrolling');
        assert.ok(frameMs < 200, `scrolling stays smooth: ${frameMs.toFixed(1)} ms per step`);

        // Filtering: a search term and two filters.
        const started = Date.now();
        await page.getByLabel('Search fields').fill('deals_1');
        await page.getByLabel('Feature group', { exact: true }).selectOption('custom');
        await page.getByLabel('Indexable', { exact: true }).selectOption('yes');
        await count.getByText(/ of 100,000 fields/).waitFor();
        const filterMs = Date.now() - started;
        const shown = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-field') ?? ''));
        assert.ok(shown.length > 0, 'some fields match');
        for (const name of shown) assert.match(name, /deals_1/);
        const groups = await page
          .locator('[data-testid="genome-table"] [role="row"][data-field] select')
          .evaluateAll((els) => els.map((el) => /** @type {HTMLSelectElement} */ (el).value));
        assert.ok(groups.every((group) => group === 'custom'), 'only the custom group');
        // Reported, not asserted tightly: the machine may be busy.
        process.stdout.write(`# genome in Chromium: ${frameMs.toFixed(1)} ms per scroll step, filters applied in ${filterMs} ms\n`);

        // Click and shift-click select a range; the checkboxes show it (Chromium-specific
        // default-action ordering is what this guards).
        await rows.nth(0).getByLabel(/^Select /).click();
        await rows.nth(3).getByLabel(/^Select /).click({ modifiers: ['Shift'] });
        await page.getByTestId('bulk-bar').getByText('4 selected').waitFor();
        const ticked = await rows.evaluateAll((els) =>
          els.map((el) => /** @type {HTMLInputElement} */ (el.querySelector('input[aria-label^="Select "]')).checked),
        );
        assert.deepEqual(ticked.slice(0, 5), [true, true, true, true, false]);
        await page.getByRole('button', { name: 'Clear selection' }).click();

        // An inline edit updates the row in place and keeps the scroll position.
        await viewport.evaluate((element) => {
          element.scrollTop = 300;
        });
        const target = page.locator('[role="row"][aria-rowindex="14"]');
        const name = await target.getAttribute('data-field');
        const indexable = target.getByLabel(/^Indexable:/);
        assert.equal(await indexable.isChecked(), true);
        await indexable.click();
        await page.waitForFunction(
          (field) => !(/** @type {HTMLInputElement | null} */ (document.querySelector(`[data-field="${field}"] input[aria-label^="Indexable:"]`))?.checked),
          name,
        );
        assert.equal(await viewport.evaluate((element) => element.scrollTop), 300);

        // Sync: progress, the plan, apply.
        await page.getByRole('button', { name: 'Sync schema' }).click();
        const dialog = page.getByRole('dialog', { name: 'Sync schema with the catalog' });
        await dialog.getByRole('button', { name: 'Apply 5 changes' }).waitFor();
        await page.screenshot({ path: join(out, 'genome-sync-light.png') });
        await dialog.getByRole('button', { name: 'Apply 5 changes' }).click();
        await dialog.getByText(/Applied/).waitFor();
        await dialog.getByRole('button', { name: 'Close', exact: true }).click();
        await page.context().close();
      });
    }

    for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
      it(`toggles the tenant × field matrix (${colorScheme})`, async () => {
        const page = await openPage({ colorScheme, backend: big, hash: '#/tenants' });
        const matrix = page.getByTestId('expression-matrix');
        await matrix.waitFor();
        const cell = matrix.locator('[data-tenant="3"] button[data-state]').first();
        const before = await cell.getAttribute('data-state');
        await cell.click();
        await page.waitForFunction(
          (state) => document.querySelector('[data-tenant="3"] button[data-state]')?.getAttribute('data-state') !== state,
          before,
        );
        assert.match((await cell.getAttribute('data-state')) ?? '', /^explicit-/);
        await page.screenshot({ path: join(out, `tenants-${colorScheme}.png`) });
        await page.getByRole('tab', { name: /Tenants/ }).click();
        await page.getByTestId('tenant-table').getByText('~', { exact: false }).first().waitFor();
        await page.screenshot({ path: join(out, `tenants-list-${colorScheme}.png`) });
        await page.context().close();
      });
    }
  });

  describe('the Advisor view with a stand-in backend', () => {
    it('labels a proposal for the recent partitions of a partitioned table', async () => {
      const page = await openPage({ backend: { active: 'local', advice: true }, hash: '#/advisor' });
      const cards = page.getByTestId('proposal');
      await cards.nth(1).waitFor();
      assert.equal(await cards.count(), 2);
      assert.equal(await cards.nth(0).getByTestId('recent-partition').count(), 0);
      const label = cards.nth(1).getByTestId('recent-partition');
      assert.equal(await label.textContent(), 'recent partition of app.events (1 of 12)');
      assert.match((await label.getAttribute('title')) ?? '', /app\.events_2026_12/);
      await page.screenshot({ path: join(out, 'advisor-recent-partition.png') });
      await page.context().close();
    });
  });

  describe('the Types view with a stand-in backend', () => {
    for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
      it(`previews row types, switches language and copies them (${colorScheme})`, async () => {
        const page = await openPage({ colorScheme, backend: { active: 'staging' }, hash: '#/types' });
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        const preview = page.getByTestId('types-preview');
        await preview.waitFor();
        assert.match((await preview.textContent()) ?? '', /class \w+Row\(TypedDict\):/);
        await page.getByRole('radio', { name: 'TypeScript' }).click();
        await page.waitForFunction(
          () => document.querySelector('[data-testid="types-preview"]')?.getAttribute('data-lang') === 'typescript',
        );
        assert.match((await preview.textContent()) ?? '', /export interface \w+Row \{/);
        await page.getByRole('button', { name: 'Copy' }).click();
        await page.getByTestId('types-notice').waitFor();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await preview.textContent());
        await page.screenshot({ path: join(out, `types-${colorScheme}.png`) });
        await page.context().close();
      });
    }
  });

  describe('page health', () => {
    it('logged no errors', () => {
      assert.deepEqual(pageErrors, []);
    });
  });
}
