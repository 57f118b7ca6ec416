// The README's pictures: one per view over the demo database, each taken only once the view
// shows its data, and the command palette open on a search. Driven from the keyboard through
// the palette and Ctrl+digit, as a DBA would. Run by tests/screenshots/run (make screenshots).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, driver, root } from '../e2e/app.mjs';
import { KEY, Session, waitForDriver } from '../e2e/webdriver.mjs';

const out = join(root, 'docs/screenshots');
const views = ['connections', 'overview', 'genome', 'tenants', 'workload', 'advisor', 'timeline', 'types'];

/** Switches view with Ctrl+<its place in the sidebar>. */
async function go(s, view) {
  await s.press(KEY.Control, String(views.indexOf(view) + 1));
  await s.waitFor(`the ${view} view`, async () => (await s.script('return location.hash')) === `#/${view}`);
}

async function shot(s, name, ready, what) {
  await s.waitFor(what, ready, 120000);
  // Let the view settle (images, charts, fonts) before the picture.
  await new Promise((r) => setTimeout(r, 800));
  writeFileSync(join(out, `${name}.png`), await s.screenshot());
  console.log(`docs/screenshots/${name}.png: ${what}`);
}

async function palette(s, query) {
  await s.press(KEY.Control, 'k');
  await s.waitFor('the palette', async () => (await s.focused()) === 'palette-input');
  await s.waitFor('the palette to read the database', async () => !/Reading/.test(await s.content(await s.find('[data-testid="palette-status"]'))), 60000);
  await s.typeKeys(query);
  await s.waitFor(`"${query}" typed`, async () => (await s.script('return document.activeElement.value')) === query);
}

const count = (s, css) => s.findAll(css).then((found) => found.length);
const text = async (s, css) => s.content(await s.find(css));

mkdirSync(out, { recursive: true });
await waitForDriver(driver);
const s = await Session.start(driver, app);
try {
  await s.waitForElement('main h1', 30000);
  await palette(s, 'open indexpilot demo');
  await s.press(KEY.Enter);

  await shot(s, 'overview', async () => (await count(s, '[data-testid="attention-item"]')) > 0 && (await count(s, '[data-testid="overview-proposals"]')) > 0, 'the overview: what waits, with its cards');

  await palette(s, 'deals');
  await shot(s, 'palette', async () => (await count(s, '[data-testid="palette-item"]')) > 3, 'the palette searching fields, statements and proposals');
  await s.press(KEY.Escape);

  await go(s, 'connections');
  await shot(s, 'connections', async () => (await count(s, '[data-testid="connection-item"]')) > 0, 'the saved demo connection, open');

  await go(s, 'genome');
  await shot(s, 'genome', async () => (await count(s, '[role="row"]')) > 10, 'the genome: tables and fields');

  await go(s, 'tenants');
  await shot(s, 'tenants', async () => (await count(s, 'button.cell')) > 10, 'the tenant × field matrix');

  await go(s, 'workload');
  await shot(s, 'workload', async () => (await count(s, '[data-testid="statement"]')) > 5, 'the top statements');

  await go(s, 'advisor');
  await shot(s, 'advisor', async () => (await count(s, '[data-testid="proposal"]')) > 0, 'the stored proposals with their evidence');

  await go(s, 'timeline');
  await shot(s, 'timeline', async () => (await count(s, '[data-testid="timeline-entry"][data-status="applied"]')) > 0, 'the applied change on the timeline');

  await go(s, 'types');
  await shot(s, 'types', async () => /class|interface|struct/.test(await text(s, '[data-testid="types-preview"]')), 'the generated row types');
} finally {
  await s.end();
}
