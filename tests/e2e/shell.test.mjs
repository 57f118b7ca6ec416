// The desktop app in a real window: the release UI embedded in the binary, rendered by
// WebKitGTK, talking to the Rust shell over real IPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, driver, shots } from './app.mjs';
import { Session, waitForDriver } from './webdriver.mjs';

test('the app window shows the shell and reaches the engine over IPC', async () => {
  assert.ok(existsSync(app), `${app} is missing: build it with make app`);
  await waitForDriver(driver);
  const s = await Session.start(driver, app);
  try {
    const engine = await s.waitFor('the engine version in the status bar', async () => {
      const text = await s.text(await s.find('[data-testid="status-engine"]'));
      return /Engine\s+\d+\.\d+\.\d+/.test(text) ? text : null;
    });
    assert.match(engine, /Engine\s+0\.1\.0/);

    const views = await s.findAll('nav.sidebar [data-view]');
    assert.equal(views.length, 8);
    const labels = await Promise.all(views.map((v) => s.text(v)));
    for (const name of ['Connections', 'Overview', 'Genome', 'Tenants', 'Workload', 'Advisor', 'Timeline', 'Types']) {
      assert.ok(labels.some((l) => l.includes(name)), `${name} missing from ${labels}`);
    }

    await s.click(await s.find('nav.sidebar [data-view="genome"]'));
    await s.waitFor('the genome view', async () => (await s.script('return location.hash')) === '#/genome');
    const heading = await s.text(await s.find('main h1'));
    assert.match(heading, /Genome/);

    mkdirSync(shots, { recursive: true });
    await s.click(await s.find('nav.sidebar [data-view="connections"]'));
    await s.waitFor('the connections view', async () => (await s.script('return location.hash')) === '#/connections');
    writeFileSync(join(shots, 'app-shell.png'), await s.screenshot());
  } finally {
    await s.end();
  }
});
