// A partitioned table in the real window: the genome shows it as one table with its 12
// partitions folded under it; the advisor proposes an index for it; the confirmation shows
// every step (ON ONLY, then a concurrent build and an attach per partition) and why; the build
// reports its progress partition by partition; the result is one valid index attached on all
// 12 (checked in the catalog); the rollback's confirmation says which lock it takes, and the
// index is gone from every partition afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addConnection, app, cli, driver, go, psql, targetDir, work } from './app.mjs';
import { Session, waitForDriver } from './webdriver.mjs';

const PASSWORD = 'E2e-Partitions-51c2';
let pg; // { port, url }
const dbUrl = () => `postgres://e2e_events:${PASSWORD}@127.0.0.1:${pg.port}/e2e_events`;

before(() => {
  assert.ok(work, 'E2E_WORK is not set: run this through tests/e2e/run');
  pg = JSON.parse(
    execFileSync(join(targetDir, 'debug/pg-sandbox'), ['start', join(work, 'pg-partitioned')], {
      encoding: 'utf8',
      env: { ...process.env, PG_SANDBOX_PASSWORD: 'sandbox-admin-8e1f' },
    }),
  );
  psql(pg.url, `CREATE ROLE e2e_events LOGIN PASSWORD '${PASSWORD}'`);
  psql(pg.url, 'CREATE DATABASE e2e_events OWNER e2e_events');
  const admin = pg.url.replace(/\/postgres$/, '/e2e_events');
  psql(admin, 'CREATE EXTENSION pg_stat_statements; CREATE EXTENSION hypopg;');
  // A year of events in monthly partitions, about 100,000 rows each.
  const months = Array.from({ length: 12 }, (_, m) => {
    const from = `2026-${String(m + 1).padStart(2, '0')}-01`;
    const to = m === 11 ? '2027-01-01' : `2026-${String(m + 2).padStart(2, '0')}-01`;
    return `CREATE TABLE app.events_2026_${String(m + 1).padStart(2, '0')} PARTITION OF app.events FOR VALUES FROM ('${from}') TO ('${to}');`;
  }).join('\n');
  psql(
    dbUrl(),
    `CREATE SCHEMA app;
     CREATE TABLE app.events (id bigint NOT NULL, device_id int NOT NULL, at timestamptz NOT NULL, body text)
       PARTITION BY RANGE (at);
     ${months}
     INSERT INTO app.events
       SELECT g, (g::int8 * 7919 % 20000)::int, timestamptz '2026-01-01' + (g % 365) * interval '1 day' + (g % 86400) * interval '1 second', 'e' || g
       FROM generate_series(1, 1200000) g;
     ANALYZE app.events;`,
  );
  execFileSync(cli, ['--database-url', dbUrl(), 'init'], { stdio: 'ignore' });
  // The load is not the workload.
  psql(admin, 'SELECT pg_stat_statements_reset()');
  for (let i = 0; i < 30; i++) psql(dbUrl(), `SELECT id, at FROM app.events WHERE device_id = ${i * 613} ORDER BY at DESC LIMIT 50`);
});

after(() => {
  if (pg) execFileSync(join(targetDir, 'debug/pg-sandbox'), ['stop', join(work, 'pg-partitioned')]);
});


/** The valid index parts under the table's index, and whether the table's own index is valid. */
function attached(index) {
  return psql(
    dbUrl(),
    `SELECT count(*) FILTER (WHERE t.level > 0 AND i.indisvalid) || '/' || coalesce(bool_or(t.level = 0 AND i.indisvalid)::text, 'missing')
     FROM pg_partition_tree(to_regclass('app.${index}')) t JOIN pg_index i ON i.indexrelid = t.relid`,
  );
}

test('a partitioned table: one table in the genome, its index built partition by partition and rolled back', async () => {
  assert.ok(existsSync(app), `${app} is missing: build it with make app`);
  await waitForDriver(driver);
  const s = await Session.start(driver, app);
  try {
    const item = await addConnection(s, { label: 'E2E events', port: pg.port, database: 'e2e_events', user: 'e2e_events', password: PASSWORD });
    await s.click(item);
    await s.click(await s.waitFor('the Open button', () => s.findXPath("//button[normalize-space(.)='Open']")));
    await s.waitFor('the connection to be active', async () =>
      /E2E events/.test(await s.content(await s.find('[data-testid="status-connection"]'))));

    // Genome: one table with its partitions' key, count and totals; partitions folded.
    await go(s, 'genome');
    const events = await s.waitForElement('[data-table="app.events"]', 30000);
    const text = await s.content(events);
    assert.match(text, /RANGE \(at\) · 12 partitions/);
    assert.match(text, /1\.2M rows/);
    assert.equal((await s.findAll('[data-table="app.events_2026_03"]')).length, 0);
    await s.click(await s.find('[aria-label="Expand the partitions of events"]'));
    const march = await s.waitForElement('[data-table="app.events_2026_03"]');
    assert.match(await s.content(march), /FOR VALUES FROM \('2026-03-01 00:00:00\+00'\) TO \('2026-04-01 00:00:00\+00'\)/);

    // Advisor: a proposal for the partitioned table.
    await go(s, 'advisor');
    await s.click(await s.waitForElement('[data-testid="advise-run"]'));
    await s.waitForElement('[data-testid="advice-summary"]', 90000);
    await s.waitFor('a proposal for app.events', () => s.findWithText('[data-testid="proposal"]', 'app.events'), 60000);
    const id = Number(psql(dbUrl(), "SELECT id FROM indexpilot.mutation_log WHERE parent_id IS NULL AND kind = 'index_create' AND table_name = 'events' ORDER BY id DESC LIMIT 1"));
    const index = psql(dbUrl(), `SELECT details_json->>'index_name' FROM indexpilot.mutation_log WHERE id = ${id}`);
    await s.click(await s.findXPath(`//li[@data-testid='proposal'][contains(., 'app.events')]//button[@data-testid='approve']`));

    // The confirmation: every step, and why there are several.
    await s.waitFor('the build steps in the confirmation', async () =>
      (await s.content(await s.waitForElement('[data-testid="confirm-ddl"]'))).includes('ATTACH PARTITION'));
    const steps = (await s.content(await s.find('[data-testid="confirm-ddl"]'))).trim().split('\n');
    assert.equal(steps.length, 25, steps.join('\n'));
    assert.match(steps[0], /ON ONLY "app"\."events"/);
    assert.equal(steps.filter((l) => l.startsWith('CREATE INDEX CONCURRENTLY')).length, 12);
    assert.match(await s.content(await s.find('[data-testid="confirm-note"]')), /each of its 12 partitions is built CONCURRENTLY/);

    // The build, watched: every progress message the window shows is recorded as it renders.
    await s.script(`
      window.__progress = new Set();
      const record = () => {
        for (const e of document.querySelectorAll('.progress .message')) window.__progress.add(e.textContent);
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
      return true;`);
    await s.click(await s.find('[data-testid="confirm-run"]'));
    await s.waitFor('the index on all 12 partitions', async () => attached(index) === '12/true', 120000);
    const messages = await s.script('return [...window.__progress]');
    const parts = new Set(messages.flatMap((m) => {
      const match = /^partition (\d+)\/12 "app"\."events_2026_\d\d": (building|attached)/.exec(m);
      return match ? [Number(match[1])] : [];
    }));
    assert.equal(parts.size, 12, `progress partition by partition: ${messages.join(' | ')}`);
    await s.waitFor('the proposal to show applied', async () => {
      for (const el of await s.findAll('[data-testid="proposal-state"]')) if ((await s.content(el)) === 'applied') return true;
      return false;
    }, 30000);

    // Timeline: the rollback says which lock it takes, then removes the index everywhere.
    await go(s, 'timeline');
    await s.click(await s.waitForElement(`[data-testid="timeline-entry"][data-change="${id}"][data-status="applied"] [data-testid="rollback"]`, 30000));
    const note = await s.waitForElement('[data-testid="confirm-note"]', 30000);
    assert.match(await s.content(note), /ACCESS EXCLUSIVE lock on "app"\."events" and its 12 partitions/);
    assert.match(await s.content(await s.find('[data-testid="confirm-ddl"]')), /^DROP INDEX IF EXISTS "app"\./);
    await s.click(await s.find('[data-testid="confirm-run"]'));
    await s.waitFor('the index to be gone', async () => psql(dbUrl(), `SELECT to_regclass('app.${index}') IS NULL`) === 't', 60000);
    assert.equal(
      psql(dbUrl(), "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname LIKE 'events_2026_%' AND NOT i.indisprimary"),
      '0',
      'nothing left on any partition',
    );
    await s.waitFor('the timeline to show rolled_back', async () =>
      (await s.findAll(`[data-testid="timeline-entry"][data-change="${id}"][data-status="rolled_back"]`)).length > 0, 30000);
  } finally {
    await s.end();
  }
});
