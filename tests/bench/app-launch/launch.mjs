// Benchmark: how long the released app takes from launch to interactive (the shell drawn
// and the engine answering over IPC), in a real WebKitGTK window under Xvfb. Each launch
// starts a fresh process through tauri-driver; the figure is from the request that spawns
// it to the UI's `indexpilot:interactive` mark, so it includes WebDriver's own start-up and
// errs high. Target: < 1.5 s (median of the launches). Then, idle, the memory of the app and
// its webview processes (WebKitGTK's web and network processes, children of the app): their
// proportional set size (PSS, so libraries they share are not counted twice), read from
// /proc. Target: < 450 MB (median of the launches). Exits 1 when either is missed.
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { Session, waitForDriver } from '../../e2e/webdriver.mjs';

const app = process.env.INDEXPILOT_APP;
const driver = process.env.TAURI_DRIVER_URL ?? 'http://127.0.0.1:4444';
const LAUNCHES = 5;
const TARGET_MS = 1500;
const TARGET_MB = 450;
/** How long the app sits idle, after it is interactive, before its memory is read. */
const IDLE_MS = 3000;

const pids = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended meanwhile
  }
};
const exeOf = (pid) => {
  try {
    return realpathSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
};
const parentOf = (pid) => {
  const stat = read(`/proc/${pid}/stat`);
  return stat === null ? -1 : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};
const pssKb = (pid) => Number(/^Pss:\s+(\d+) kB/m.exec(read(`/proc/${pid}/smaps_rollup`) ?? '')?.[1] ?? 0);

/** PSS of every running copy of the app and all its descendants, in MB. */
function appMemory(appPath) {
  const target = realpathSync(appPath);
  const all = pids();
  const children = new Map();
  for (const pid of all) {
    const parent = parentOf(pid);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const roots = all.filter((pid) => exeOf(pid) === target);
  const tree = new Set();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop();
    if (tree.has(pid)) continue;
    tree.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return { mb: [...tree].reduce((sum, pid) => sum + pssKb(pid), 0) / 1024, apps: roots.length, processes: tree.size };
}

if (!app) {
  console.error('INDEXPILOT_APP is not set: run this through tests/bench/app-launch/run');
  process.exit(2);
}

await waitForDriver(driver);
const times = [];
const memory = [];
let processes = 0;
for (let i = 0; i < LAUNCHES; i++) {
  // The previous launch's app must be gone, or its memory would be counted too.
  for (let wait = 0; appMemory(app).apps > 0 && wait < 50; wait++) await new Promise((r) => setTimeout(r, 100));
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
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const m = appMemory(app);
    if (m.apps !== 1) throw new Error(`expected one running app, found ${m.apps}`);
    memory.push(m.mb);
    processes = m.processes;
  } finally {
    await s.end();
  }
}
const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const median = medianOf(times);
const mb = medianOf(memory);
console.log(
  `app launch to interactive (release build, Xvfb): ${median.toFixed(0)} ms median of ${LAUNCHES} (target < ${TARGET_MS} ms); each: ${times.map((t) => t.toFixed(0)).join(', ')} ms`,
);
console.log(
  `app idle memory (app + ${processes - 1} webview processes, PSS, ${IDLE_MS / 1000} s after interactive): ${mb.toFixed(0)} MB median (target < ${TARGET_MB} MB); each: ${memory.map((m) => m.toFixed(0)).join(', ')} MB`,
);
process.exit(median < TARGET_MS && mb < TARGET_MB ? 0 : 1);
