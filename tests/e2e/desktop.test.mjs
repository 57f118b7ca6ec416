// The DBA's first hour, in the real app window: add a connection with a real password (kept
// in a real Secret Service keyring), test it, initialise IndexPilot, browse the genome, edit a
// flag, toggle a tenant field, generate row types and save them through the system dialog, see
// the workload, run the advisor, approve and apply a proposal, roll it back from the timeline —
// and check each change in the database (or on disk) itself. Then prove the password is nowhere on disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addConnection, app, driver, go, psql, root, shots, targetDir, work } from './app.mjs';
import { Session, waitForDriver } from './webdriver.mjs';

/** The keyring service of a development build (the app under test is one). */
const IDENTIFIER = 'dev.indexpilot.desktop.development';


const PASSWORD = 'E2e-Secret-7f3a-never-on-disk';
const ADMIN_PASSWORD = 'sandbox-admin-3c9d';
let pg; // { port, url }

const dbUrl = () => `postgres://e2e_dba:${PASSWORD}@127.0.0.1:${pg.port}/e2e_shop`;

before(() => {
  assert.ok(work, 'E2E_WORK is not set: run this through tests/e2e/run');
  const out = execFileSync(join(targetDir, 'debug/pg-sandbox'), ['start', join(work, 'pg')], {
    encoding: 'utf8',
    env: { ...process.env, PG_SANDBOX_PASSWORD: ADMIN_PASSWORD },
  });
  pg = JSON.parse(out);
  psql(pg.url, `CREATE ROLE e2e_dba LOGIN PASSWORD '${PASSWORD}'`);
  psql(pg.url, 'CREATE DATABASE e2e_shop OWNER e2e_dba');
  psql(
    dbUrl(),
    `CREATE SCHEMA shop;
     CREATE TABLE shop.tenants (id bigint PRIMARY KEY, name text NOT NULL);
     CREATE TABLE shop.customers (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES shop.tenants (id),
                                  email text NOT NULL, custom_region text);
     INSERT INTO shop.tenants SELECT g, 'Tenant ' || g FROM generate_series(1, 4) g;
     INSERT INTO shop.customers (tenant_id, email) SELECT 1 + g % 4, 'c' || g || '@example.com' FROM generate_series(1, 400) g;
     ANALYZE;`,
  );
  // A table worth indexing and a workload on it, for the workload, advisor and timeline views.
  const adminShop = pg.url.replace(/\/postgres$/, '/e2e_shop');
  psql(adminShop, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements; CREATE EXTENSION IF NOT EXISTS hypopg;');
  psql(
    dbUrl(),
    `CREATE TABLE shop.orders (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, customer_ref text NOT NULL, total numeric NOT NULL);
     INSERT INTO shop.orders SELECT g, 1 + g % 4, 'ref-' || (g % 20000), g % 500 FROM generate_series(1, 60000) g;
     ANALYZE shop.orders;`,
  );
  // The load is not the workload (as after any bulk load, the DBA resets the statistics).
  psql(adminShop, 'SELECT pg_stat_statements_reset()');
  for (let i = 0; i < 40; i++) psql(dbUrl(), `SELECT id, total FROM shop.orders WHERE customer_ref = 'ref-${i * 37}'`);
});

after(() => {
  if (pg) execFileSync(join(targetDir, 'debug/pg-sandbox'), ['stop', join(work, 'pg')]);
});

/** Types a full path into the GTK save dialog called `title` and confirms it. */
function answerSaveDialog(title, path) {
  const xdotool = (...args) => execFileSync('xdotool', args, { encoding: 'utf8', timeout: 20000 }).trim();
  const id = xdotool('search', '--sync', '--onlyvisible', '--name', title).split('\n')[0];
  xdotool('windowfocus', '--sync', id);
  xdotool('key', '--clearmodifiers', 'ctrl+a');
  xdotool('type', '--delay', '15', path);
  xdotool('key', 'Return');
}

async function shot(s, name) {
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, name), await s.screenshot());
}


test('connect, test, initialise, curate and toggle in the real window', async () => {
  assert.ok(existsSync(app), `${app} is missing: build it with make app`);
  await waitForDriver(driver);
  const s = await Session.start(driver, app);
  try {
    // Add the connection through the form, password included.
    await addConnection(s, { label: 'E2E shop', port: pg.port, database: 'e2e_shop', user: 'e2e_dba', password: PASSWORD });

    // Test: the password from the keyring reaches the server; not initialised yet.
    await s.click(await s.findXPath("//button[contains(., 'Test')]"));
    const metadata = await s.waitForElement('[data-testid="metadata"]');
    assert.match(await s.content(metadata), /not initialised/i);
    assert.match(await s.content(await s.find('[data-testid="ext-pg_stat_statements"]')), /.+/);

    // Initialise, with its progress, and check the database.
    await s.click(await s.findXPath("//button[contains(., 'Initialise IndexPilot')]"));
    await s.waitFor('initialisation to finish', async () => {
      const done = await s.findAll('[data-testid="init-panel"] .done');
      return done.length > 0;
    }, 60000);
    // Every migration the engine ships is applied.
    const migrations = readdirSync(join(root, 'crates/engine/migrations')).filter((f) => /^\d+_.*\.sql$/.test(f));
    assert.equal(psql(dbUrl(), 'SELECT max(version) FROM indexpilot.schema_migrations'), String(migrations.length));
    assert.ok(Number(psql(dbUrl(), "SELECT count(*) FROM indexpilot.genome_catalog WHERE schema_name = 'shop'")) >= 6);
    const status = await s.content(await s.find('[data-testid="status-connection"]'));
    assert.match(status, /E2E shop/);
    await shot(s, 'connections.png');

    // Genome: un-tick "indexable" on one field; the database records it and who did it.
    await go(s, 'genome');
    const box = await s.waitForElement('[aria-label="Indexable: shop.customers.custom_region"]', 30000);
    await shot(s, 'genome.png');
    await s.click(box);
    await s.waitFor('the flag edit to reach the database', async () =>
      psql(dbUrl(), "SELECT is_indexable FROM indexpilot.genome_catalog WHERE field_name = 'custom_region'") === 'f');
    assert.equal(psql(dbUrl(), "SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'flag_edit'"), '1');
    assert.equal(psql(dbUrl(), "SELECT actor_role FROM indexpilot.mutation_log WHERE kind = 'flag_edit'"), 'e2e_dba');

    // Tenants: switch the custom field on for tenant 2.
    await go(s, 'tenants');
    const cell = await s.waitForElement('[data-tenant="2"] button.cell', 30000);
    await shot(s, 'tenants.png');
    await s.click(cell);
    await s.waitFor('the toggle to reach the database', async () =>
      psql(dbUrl(), "SELECT count(*) FROM indexpilot.expression_profile WHERE tenant_id = '2' AND is_enabled") === '1');
    assert.equal(
      psql(dbUrl(), "SELECT field_name FROM indexpilot.mutation_log WHERE kind = 'field_enable' AND tenant_id = '2'"),
      'custom_region',
    );

    // Types: row types generated by the engine from the live schema, copied, and saved
    // through the system's save dialog (a GTK window, answered with xdotool as a person types).
    await go(s, 'types');
    const preview = () => s.waitForElement('[data-testid="types-preview"]', 30000);
    assert.match(
      await s.content(await preview()),
      /class CustomersRow\(TypedDict\):\n    id: int\n    tenant_id: int\n    email: str\n    custom_region: str \| None\n/,
    );
    await s.click(await s.find('[role="radio"][data-option="typescript"]'));
    await s.waitFor('the TypeScript preview', async () => (await s.content(await preview())).includes('export interface CustomersRow {'));
    const typescript = await s.content(await preview());
    assert.match(typescript, /  tenant_id: string; \/\/ int8\n/);
    await s.click(await s.findXPath("//button[contains(., 'Copy')]"));
    await s.waitFor('the copy notice', async () => /Copied \d+ lines/.test(await s.content(await s.waitForElement('[data-testid="types-notice"]'))));
    await shot(s, 'types.png');

    const saved = join(work, 'host-app', 'src', 'rows.ts');
    mkdirSync(dirname(saved), { recursive: true });
    await s.click(await s.findXPath("//button[contains(., 'Save')]"));
    answerSaveDialog('Save row types', saved);
    await s.waitFor('the file to be written', async () => existsSync(saved), 20000);
    assert.equal(readFileSync(saved, 'utf8'), typescript);
    await s.waitFor('the saved notice', async () => (await s.content(await s.find('[data-testid="types-notice"]'))).includes(`Saved to ${saved}`));

    // Workload: the statements pg_stat_statements holds, with the tables they use.
    await go(s, 'workload');
    await s.waitFor('the orders statement', () => s.findWithText('[data-testid="statement"]', 'shop.orders'), 30000);
    await shot(s, 'workload.png');
    // A statement's plan (EXPLAIN as a tree) and its history.
    await s.click(await s.findXPath("//button[@data-testid='statement'][contains(., 'shop.orders')]"));
    const plan = await s.waitForElement('[data-testid="statement-plan"]', 30000);
    assert.match(await s.content(plan), /Seq Scan/);
    await s.waitForElement('[data-testid="statement-chart"]', 30000);
    await s.click(await s.find('[aria-label="Close dialog"]'));
    // Index health, and the background collector started from the view.
    await s.click(await s.findXPath("//button[@role='tab'][contains(., 'Index health')]"));
    await s.waitFor('the health report', async () => /indexes on/.test(await s.content(await s.find('article.view'))), 30000);
    await s.click(await s.findXPath("//button[@role='tab'][contains(., 'Field usage')]"));
    await s.waitFor('field usage', async () => /field usage|shop\.orders/i.test(await s.content(await s.find('article.view'))), 30000);
    await s.click(await s.findXPath("//button[@role='tab'][contains(., 'Statements')]"));
    await s.click(await s.findXPath("//span[@data-testid='collector']//button[contains(., 'Start')]"));
    await s.waitFor('the collector to run', async () => /Collecting every 60 s/.test(await s.content(await s.find('[data-testid="collector"]'))), 15000);

    // Advisor: run it, approve the proposal for shop.orders and watch it build.
    await go(s, 'advisor');
    await s.click(await s.waitForElement('[data-testid="advise-run"]'));
    await s.waitForElement('[data-testid="advice-summary"]', 90000);
    const proposal = await s.waitFor('a proposal for shop.orders', () => s.findWithText('[data-testid="proposal"]', 'shop.orders'), 60000);
    await shot(s, 'advisor.png');
    const proposalText = await s.content(proposal);
    assert.match(proposalText, /customer_ref/);
    // The plan with the proposed index, as a hypothetical one: nothing is built.
    await s.click(await s.findXPath(`//li[@data-testid='proposal'][contains(., 'shop.orders')]//button[@data-testid='compare']`));
    const compare = await s.waitForElement('[data-testid="plan-compare"]', 30000);
    assert.match(await s.content(compare), /using <\d+>btree/);
    await s.click(await s.find('[aria-label="Close dialog"]'));
    const id = Number(psql(dbUrl(), "SELECT id FROM indexpilot.mutation_log WHERE parent_id IS NULL AND kind = 'index_create' AND table_name = 'orders' ORDER BY id DESC LIMIT 1"));
    const indexName = psql(dbUrl(), `SELECT details_json->>'index_name' FROM indexpilot.mutation_log WHERE id = ${id}`);
    await s.click(await s.findXPath(`//li[@data-testid='proposal'][contains(., 'shop.orders')]//button[@data-testid='approve']`));
    assert.match(await s.content(await s.waitForElement('[data-testid="confirm-ddl"]')), /CREATE INDEX CONCURRENTLY/);
    await s.click(await s.find('[data-testid="confirm-run"]'));
    await s.waitFor('the index to be applied', async () =>
      psql(dbUrl(), `SELECT coalesce((SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('shop.${indexName}')), 'missing')`) === 'true', 60000);
    await s.waitFor('the proposal to show applied', async () => {
      const state = await s.findAll('[data-testid="proposal-state"]');
      for (const el of state) if ((await s.content(el)) === 'applied') return true;
      return false;
    }, 30000);
    assert.equal(psql(dbUrl(), `SELECT actor_role FROM indexpilot.mutation_log WHERE parent_id = ${id} AND status = 'applied'`), 'e2e_dba');

    // Timeline: the change is there; roll it back from it.
    await go(s, 'timeline');
    const rollback = await s.waitForElement(`[data-testid="timeline-entry"][data-change="${id}"][data-status="applied"] [data-testid="rollback"]`, 30000);
    await shot(s, 'timeline.png');
    await s.click(rollback);
    await s.click(await s.waitForElement('[data-testid="confirm-run"]'));
    await s.waitFor('the index to be gone', async () =>
      psql(dbUrl(), `SELECT to_regclass('shop.${indexName}') IS NULL`) === 't', 60000);
    await s.waitFor('the timeline to show rolled_back', async () =>
      (await s.findAll(`[data-testid="timeline-entry"][data-change="${id}"][data-status="rolled_back"]`)).length > 0, 30000);
  } finally {
    await s.end();
  }

  // The password is in the OS keyring, and nowhere on disk in the clear.
  const secret = execFileSync('secret-tool', ['search', '--all', 'service', IDENTIFIER], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.ok(secret.includes(PASSWORD), 'the keyring should hold the password');
  const appData = process.env.INDEXPILOT_DATA_DIR;
  assert.ok(existsSync(join(appData, 'indexpilot.sqlite3')), 'the app store exists');
  assert.ok(readdirSync(join(appData, 'logs')).length > 0, 'the app log exists');
  const leaks = [];
  const scan = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) scan(path);
      else if (st.isFile() && readFileSync(path).includes(PASSWORD)) leaks.push(path);
    }
  };
  scan(appData);
  scan(process.env.HOME);
  assert.deepEqual(leaks, [], `the password was found on disk in ${leaks.join(', ')}`);
});

test('a saved password the keyring cannot give is asked for, for this session only', async () => {
  // The keyring loses the app's entries (a reset keyring, another machine's profile).
  execFileSync('secret-tool', ['clear', 'service', IDENTIFIER]);
  const s = await Session.start(driver, app);
  try {
    const item = await s.waitFor('the saved connection in the list', () => s.findWithText('[data-testid="connection-item"]', /E2E shop/));
    assert.match(await s.content(item), /password saved/);
    await s.click(item);
    await s.click(await s.waitFor('the Open button', () => s.findXPath("//button[normalize-space(.)='Open']")));
    const form = await s.waitForElement('[data-testid="session-password-form"]');
    assert.match(await s.content(form), /keyring/);
    await s.type(await s.find('[data-testid="session-password"]'), PASSWORD);
    await s.click(await s.find('[data-testid="session-password-submit"]'));
    await s.waitFor('the connection to open', async () =>
      /E2E shop/.test(await s.content(await s.find('[data-testid="status-connection"]'))), 30000);
  } finally {
    await s.end();
  }
  // Typed for the session: neither in the keyring nor on disk.
  const secret = execFileSync('secret-tool', ['search', '--all', 'service', IDENTIFIER], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.ok(!secret.includes(PASSWORD), 'a password typed for the session is not saved');
  const leaks = [];
  const scan = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) scan(path);
      else if (st.isFile() && readFileSync(path).includes(PASSWORD)) leaks.push(path);
    }
  };
  scan(process.env.INDEXPILOT_DATA_DIR);
  assert.deepEqual(leaks, [], `the password was found on disk in ${leaks.join(', ')}`);
});

test('a read-only connection reviews the workload and the advice and writes nothing', async () => {
  const written = () =>
    psql(
      dbUrl(),
      `SELECT (SELECT count(*) FROM indexpilot.mutation_log) || '/' || (SELECT count(*) FROM indexpilot.pgss_snapshot)
              || '/' || (SELECT count(*) FROM indexpilot.query_stats)
              || '/' || (SELECT count(*) FROM indexpilot.statements WHERE analysis IS NOT NULL)`,
    );
  const s = await Session.start(driver, app);
  try {
    const item = await s.waitFor('the saved connection in the list', () => s.findWithText('[data-testid="connection-item"]', /E2E shop/));
    await s.click(item);
    // Mark it read-only (and save its password again: the previous test's keyring lost it).
    await s.click(await s.waitFor('the Edit button', () => s.findXPath("//button[normalize-space(.)='Edit']")));
    await s.type(await s.waitForElement('[id$="-password"]'), PASSWORD);
    await s.click(await s.findXPath("//label[contains(., 'Read-only: never write')]/input"));
    await s.click(await s.find('form button[type="submit"]'));
    await s.click(await s.waitFor('the Open button', () => s.findXPath("//button[normalize-space(.)='Open']")));
    await s.waitFor('the connection to open', async () =>
      /E2E shop/.test(await s.content(await s.find('[data-testid="status-connection"]'))), 30000);
    const before = written();

    await go(s, 'workload');
    // What was collected (a writable connection would take a new snapshot first).
    await s.waitFor('the orders statement', () => s.findWithText('[data-testid="statement"]', 'shop.orders'), 30000);
    await go(s, 'advisor');
    await s.click(await s.waitForElement('[data-testid="advise-run"]'));
    await s.waitForElement('[data-testid="advice-summary"]', 90000);
    await s.waitFor('a proposal for shop.orders', () => s.findWithText('[data-testid="proposal"]', 'shop.orders'), 60000);
    assert.match(await s.content(await s.find('[data-testid="advice-summary"]')), /read-only: review only, nothing recorded/);
    const approve = await s.findXPath("//li[@data-testid='proposal'][contains(., 'shop.orders')]//button[@data-testid='approve']");
    assert.equal(await s.cmd('GET', `/element/${approve}/enabled`), false, 'approving needs a writable connection');
    assert.equal(written(), before, 'nothing was written through the read-only connection');
  } finally {
    await s.end();
  }
});
