// The daily loop on the demo database and its generated workload, in the real window: the
// demo (started with `indexpilot demo --detach`, which adds it to the app's connections) is
// opened, its workload shown, the proposals a scheduled `indexpilot advise` stored shown on
// open, the advisor run, a proposal approved and applied (checked
// valid in pg_index), found on the timeline and rolled back from there (checked gone). Then
// the same loop with the keyboard alone, through the command palette.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addConnection, app, cli, driver, go, psql as psqlAt, shots, targetDir, work } from './app.mjs';
import { KEY, Session, waitForDriver } from './webdriver.mjs';

const port = String(41000 + (process.pid % 2000));
let demoDir;
let url;

const psql = (sql) => psqlAt(url, sql);

before(() => {
  assert.ok(work, 'E2E_WORK is not set: run this through tests/e2e/run');
  demoDir = join(work, 'demo');
  execFileSync(cli, ['demo', '--detach', '--scale', '0.03', '--burst', '600', '--port', port, '--data-dir', demoDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = execFileSync(cli, ['demo', 'url', '--port', port, '--data-dir', demoDir], { encoding: 'utf8' }).trim();
  // A scheduled run, as cron would make it overnight: its proposals wait in the mutation log.
  execFileSync(cli, ['--database-url', url, 'advise'], { stdio: 'ignore', env: { ...process.env, USER: 'nightly-cron' } });
});

after(() => {
  if (demoDir) execFileSync(cli, ['demo', 'stop', '--port', port, '--data-dir', demoDir], { stdio: 'ignore' });
});


test('the demo database: workload, advisor, approve and apply, roll back from the timeline', async () => {
  assert.ok(existsSync(app), `${app} is missing: build it with make app`);
  await waitForDriver(driver);
  const s = await Session.start(driver, app);
  try {
    // `demo --detach` saved the connection; open it.
    const item = await s.waitFor('the demo connection', () => s.findWithText('[data-testid="connection-item"]', 'IndexPilot demo'));
    await s.click(item);
    await s.click(await s.waitFor('the Open button', () => s.findXPath("//button[normalize-space(.)='Open']")));
    await s.waitFor('the demo to be the active connection', async () =>
      /IndexPilot demo/.test(await s.content(await s.find('[data-testid="status-connection"]'))));

    // Opening lands on the overview: the scheduled run's proposals wait there, as many as
    // the mutation log holds open, with a link to the Advisor.
    const waiting = Number(psql(
      "SELECT count(*) FROM indexpilot.mutation_log r WHERE parent_id IS NULL AND kind IN ('index_create', 'index_drop') AND (SELECT m.status FROM indexpilot.mutation_log m WHERE m.id = r.id OR m.parent_id = r.id ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) = 'proposed'",
    ));
    const proposalsItem = await s.waitForElement('[data-testid="attention-item"][data-key="proposals"]', 30000);
    assert.match(await s.content(proposalsItem), new RegExp(`^${waiting} proposals? waiting for a decision`));
    assert.match(await s.content(await s.find('[data-testid="overview-server"]')), /PostgreSQL \d+/);
    assert.match(await s.content(await s.find('[data-testid="overview-statements"]')), /pg_stat_statements \d[\d,]* of [\d,]+ entries/);
    mkdirSync(shots, { recursive: true });
    writeFileSync(join(shots, 'overview.png'), await s.screenshot());

    await go(s, 'workload');
    await s.waitFor('the demo statements', () => s.findWithText('[data-testid="statement"]', 'crm.'), 30000);

    // On open, before any run here: the proposals the scheduled run left, with who made them.
    await go(s, 'advisor');
    const open = Number(psql(
      "SELECT count(*) FROM indexpilot.mutation_log r WHERE parent_id IS NULL AND kind IN ('index_create', 'index_drop') AND (SELECT m.status FROM indexpilot.mutation_log m WHERE m.id = r.id OR m.parent_id = r.id ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) = 'proposed'",
    ));
    assert.ok(open > 0, 'the scheduled run proposed nothing');
    const storedSummary = await s.waitForElement('[data-testid="stored-summary"]', 30000);
    assert.match(await s.content(storedSummary), new RegExp(`^${open} proposals? waiting for a decision`));
    assert.equal((await s.findAll('[data-testid="proposal"]')).length, open);
    const proposers = psql("SELECT string_agg(DISTINCT actor_os_user, '|') FROM indexpilot.mutation_log WHERE parent_id IS NULL AND status = 'proposed'");
    assert.match(await s.content(await s.find('[data-testid="proposal-origin"]')), new RegExp(`proposed by (${proposers}),`));
    // "Run advisor" weighs the workload again and replaces them.
    await s.click(await s.waitForElement('[data-testid="advise-run"]'));
    await s.waitForElement('[data-testid="advice-summary"]', 90000);
    await s.waitForElement('[data-testid="proposal"]', 30000);
    const before = Number(psql("SELECT count(*) FROM indexpilot.mutation_log WHERE status = 'applied'"));
    await s.click(await s.find('[data-testid="proposal"] [data-testid="approve"]'));
    assert.match(await s.content(await s.waitForElement('[data-testid="confirm-ddl"]')), /CREATE INDEX CONCURRENTLY/);
    await s.click(await s.find('[data-testid="confirm-run"]'));
    await s.waitFor('the proposal to be applied', async () =>
      Number(psql("SELECT count(*) FROM indexpilot.mutation_log WHERE status = 'applied'")) > before, 120000);
    const [id, schema, name] = psql(
      "SELECT parent_id || '|' || schema_name || '|' || (SELECT details_json->>'index_name' FROM indexpilot.mutation_log r WHERE r.id = m.parent_id) FROM indexpilot.mutation_log m WHERE status = 'applied' ORDER BY id DESC LIMIT 1",
    ).split('|');
    const qualified = `"${schema}"."${name}"`;
    assert.equal(psql(`SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('${qualified}')`), 't');

    // Another client's change (the CLI, as a second instance would) is on the same timeline:
    // the log lives in the database.
    execFileSync(cli, ['--database-url', url, 'policy', 'set', 'lock_timeout', '7s'], { stdio: 'ignore' });
    await go(s, 'timeline');
    await s.waitForElement('[data-testid="timeline-entry"][data-kind="policy_change"]', 30000);
    await s.click(await s.waitForElement(`[data-testid="timeline-entry"][data-change="${id}"][data-status="applied"] [data-testid="rollback"]`, 30000));
    await s.click(await s.waitForElement('[data-testid="confirm-run"]'));
    await s.waitFor('the index to be gone', async () => psql(`SELECT to_regclass('${qualified}') IS NULL`) === 't', 60000);
    await s.waitFor('the timeline to show rolled_back', async () =>
      (await s.findAll(`[data-testid="timeline-entry"][data-change="${id}"][data-status="rolled_back"]`)).length > 0, 30000);
  } finally {
    await s.end();
  }
});

/** Opens the palette with Ctrl+K, waits for its data, types `query` and returns the first result's text. */
async function palette(s, query) {
  // Keys pressed before the shell is drawn go nowhere.
  await s.waitForElement('main h1', 30000);
  await s.press(KEY.Control, 'k');
  await s.waitFor('the palette input to have focus', async () => (await s.focused()) === 'palette-input');
  await s.waitFor('the palette to read the database', async () => !/Reading/.test(await s.content(await s.find('[data-testid="palette-status"]'))), 30000);
  await s.typeKeys(query);
  // The webview may still be taking the keys when the actions call returns.
  await s.waitFor(`"${query}" in the palette`, async () => (await s.script('return document.activeElement.value')) === query);
  const first = await s.waitForElement('[data-testid="palette-item"][aria-selected="true"]');
  return s.content(first);
}

test('the daily loop with the keyboard alone: open, review, approve, watch the build, roll back', async () => {
  await waitForDriver(driver);
  const s = await Session.start(driver, app);
  try {
    // Open the demo from the palette: it lands on the overview.
    assert.match(await palette(s, 'open indexpilot demo'), /Open IndexPilot demo/);
    await s.press(KEY.Enter);
    await s.waitFor('the demo to be open on the overview', async () =>
      (await s.script('return location.hash')) === '#/overview' &&
      /IndexPilot demo/.test(await s.content(await s.find('[data-testid="status-connection"]'))), 30000);
    await s.waitForElement('[data-testid="attention-item"]', 30000);

    // Review a waiting proposal: the Advisor shows it outlined.
    const open = psql("SELECT count(*) FROM indexpilot.mutation_log r WHERE parent_id IS NULL AND kind = 'index_create' AND (SELECT m.status FROM indexpilot.mutation_log m WHERE m.id = r.id OR m.parent_id = r.id ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) = 'proposed'");
    assert.ok(Number(open) > 0, 'no proposal waits for a decision');
    const review = await palette(s, 'review proposal create');
    const index = /Review proposal: create (\S+)/.exec(review)?.[1];
    assert.ok(index, `not a proposal: ${review}`);
    writeFileSync(join(shots, 'palette.png'), await s.screenshot());
    await s.press(KEY.Enter);
    await s.waitForElement(`[data-testid="proposal"][data-index="${index}"].focused`, 30000);

    // Approve it: the confirmation shows the DDL with its confirm button focused; Enter runs it.
    assert.match(await palette(s, `approve ${index}`), new RegExp(`Approve and apply: create ${index}`));
    await s.press(KEY.Enter);
    assert.match(await s.content(await s.waitForElement('[data-testid="confirm-ddl"]')), new RegExp(`CREATE INDEX CONCURRENTLY "${index}"`));
    await s.waitFor('the confirm button to have focus', async () => (await s.focused()) === 'confirm-run');
    await s.press(KEY.Enter);
    // Watch the build: the dialog runs it (Cancel has focus meanwhile) and the proposal ends applied.
    const state = await s.waitForElement(`[data-testid="proposal"][data-index="${index}"] [data-testid="proposal-state"]`, 120000);
    assert.equal(await s.content(state), 'applied');
    const [change, schema] = psql(
      `SELECT r.id || '|' || r.schema_name FROM indexpilot.mutation_log r WHERE r.parent_id IS NULL AND r.details_json->>'index_name' = '${index}' ORDER BY r.id DESC LIMIT 1`,
    ).split('|');
    assert.equal(psql(`SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('"${schema}"."${index}"')`), 't');

    // Roll it back from the palette: the Timeline confirms; Enter runs it.
    assert.match(await palette(s, `roll back change ${change}`), new RegExp(`Roll back change ${change}: create ${index}`));
    await s.press(KEY.Enter);
    await s.waitFor('the timeline', async () => (await s.script('return location.hash')) === '#/timeline');
    assert.match(await s.content(await s.waitForElement('[data-testid="confirm-ddl"]', 30000)), /DROP INDEX CONCURRENTLY/);
    await s.waitFor('the confirm button to have focus', async () => (await s.focused()) === 'confirm-run');
    await s.press(KEY.Enter);
    await s.waitFor('the index to be gone', async () => psql(`SELECT to_regclass('"${schema}"."${index}"') IS NULL`) === 't', 60000);
    await s.waitFor('the timeline to show rolled_back', async () =>
      (await s.findAll(`[data-testid="timeline-entry"][data-change="${change}"][data-status="rolled_back"]`)).length > 0, 30000);
  } finally {
    await s.end();
  }
});

test('every saved database at once: a second one read, then made unreachable, shows its state first', async () => {
  // A second database of its own, initialised, saved in the app through the form.
  const dir = join(work, 'pg-second');
  const sandbox = join(targetDir, 'debug/pg-sandbox');
  const pg = JSON.parse(execFileSync(sandbox, ['start', dir], { encoding: 'utf8', env: { ...process.env, PG_SANDBOX_PASSWORD: 'sandbox-admin-4d2a' } }));
  let running = true;
  const s = await Session.start(driver, app);
  try {
    psqlAt(pg.url, "CREATE ROLE e2e_second LOGIN PASSWORD 'E2e-Second-7b1e'");
    psqlAt(pg.url, 'CREATE DATABASE e2e_second OWNER e2e_second');
    execFileSync(cli, ['--database-url', `postgres://e2e_second:E2e-Second-7b1e@127.0.0.1:${pg.port}/e2e_second`, 'init'], { stdio: 'ignore' });
    await s.waitForElement('main h1', 30000);
    await go(s, 'connections');
    await addConnection(s, { label: 'Second database', port: pg.port, database: 'e2e_second', user: 'e2e_second', password: 'E2e-Second-7b1e' });

    await go(s, 'overview');
    await s.click(await s.waitFor('the All databases tab', () => s.findXPath("//button[@role='tab'][normalize-space(.)='All databases']")));
    const rows = async () => {
      const out = [];
      for (const row of await s.findAll('[data-testid="overview-all-row"]')) {
        out.push({ state: await s.script('return arguments[0].dataset.state', [{ 'element-6066-11e4-a52e-4f735466cecf': row }]), text: await s.content(row) });
      }
      return out;
    };
    const both = await s.waitFor('both databases read', async () => {
      const r = await rows();
      return r.length === 2 && r.every((x) => x.state === 'read') ? r : null;
    }, 60000);
    // The demo has proposals waiting, so it needs more attention and comes first.
    assert.match(both[0].text, /IndexPilot demo/);
    assert.match(both[1].text, /Second database/);

    // The second server goes away; a refresh shows it first, with why, and still reads the demo.
    execFileSync(sandbox, ['stop', dir]);
    running = false;
    await s.click(await s.find('[data-testid="overview-all-refresh"]'));
    const after = await s.waitFor('the second database to be unreadable', async () => {
      const r = await rows();
      return r.length === 2 && r[0].state !== 'read' ? r : null;
    }, 60000);
    assert.match(after[0].text, /Second database/);
    assert.match(after[0].text, /could not be read|no answer/);
    assert.equal(after[1].state, 'read');
    assert.match(after[1].text, /IndexPilot demo/);
    mkdirSync(shots, { recursive: true });
    writeFileSync(join(shots, 'overview-all.png'), await s.screenshot());
  } finally {
    await s.end();
    if (running) execFileSync(sandbox, ['stop', dir]);
  }
});
