// Benchmark: how long the released app takes from launch to interactive (the shell drawn
// and the engine answering over IPC), in a real WebKitGTK window under Xvfb. Each launch
// starts a fresh process through tauri-driver; the figure is from the request that spawns
// it to the UI's `indexpilot:interactive` mark, so it includes WebDriver's own start-up and
// errs high. Target: < 1.5 s (median of the launches). Exits 1 when missed.
import { Session, waitForDriver } from '../../e2e/webdriver.mjs';

const app = process.env.INDEXPILOT_APP;
const driver = process.env.TAURI_DRIVER_URL ?? 'http://127.0.0.1:4444';
const LAUNCHES = 5;
const TARGET_MS = 1500;

if (!app) {
  console.error('INDEXPILOT_APP is not set: run this through tests/bench/app-launch/run');
  process.exit(2);
}

await waitForDriver(driver);
const times = [];
for (let i = 0; i < LAUNCHES; i++) {
  const started = Date.now();
  const s = await Session.start(driver, app);
  try {
    const ready = await s.waitFor(
      'the interactive mark',
      () =>
        s.script(
          "const m = performance.getEntriesByName('indexpilot:interactive')[0]; return m ? performance.timeOrigin + m.startTime : null;",
        ),
      20000,
    );
    times.push(ready - started);
  } finally {
    await s.end();
  }
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(
  `app launch to interactive (release build, Xvfb): ${median.toFixed(0)} ms median of ${LAUNCHES} (target < ${TARGET_MS} ms); each: ${times.map((t) => t.toFixed(0)).join(', ')} ms`,
);
process.exit(median < TARGET_MS ? 0 : 1);
