// What the window tests share: where the app, the CLI and the driver are, and the steps every
// test takes the same way (a view from the sidebar, a connection through the form).
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const app = process.env.INDEXPILOT_APP ?? join(root, 'target/debug/indexpilot-app');
export const targetDir = process.env.INDEXPILOT_TARGET_DIR ?? join(root, 'target');
export const cli = join(targetDir, 'debug/indexpilot');
export const driver = process.env.TAURI_DRIVER_URL ?? 'http://127.0.0.1:4444';
/** Where the window tests leave their pictures (ignored by git; the README's come from
 * `make screenshots`). */
export const shots = join(root, 'tests/e2e/out');
/** The throwaway folder tests/e2e/run makes for this run. */
export const work = process.env.E2E_WORK;

/** Runs SQL with psql, stopping at the first error; the result unaligned, trimmed. */
export function psql(url, sql) {
  return execFileSync('psql', [url, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

/** Opens `view` from the sidebar and waits for its route. */
export async function go(s, view) {
  await s.click(await s.find(`nav.sidebar [data-view="${view}"]`));
  await s.waitFor(`the ${view} view`, async () => (await s.script('return location.hash')) === `#/${view}`);
}

/**
 * Adds a connection through the form, password included, and returns its list item (other
 * tests may have saved connections of their own: it is found by its label).
 */
export async function addConnection(s, { label, port, database, user, password }) {
  await s.click(await s.waitFor('the Add connection button', () => s.findXPath("//button[contains(., 'Add connection')]")));
  const field = (name) => s.waitForElement(`[id$="-${name}"]`);
  await s.type(await field('label'), label);
  await s.type(await field('host'), '127.0.0.1');
  await s.type(await field('port'), String(port));
  await s.type(await field('database'), database);
  await s.type(await field('user'), user);
  await s.type(await field('password'), password);
  await s.click(await s.find('form button[type="submit"]'));
  return s.waitFor(`the connection ${label} in the list`, () =>
    s.findWithText('[data-testid="connection-item"]', label),
  );
}
