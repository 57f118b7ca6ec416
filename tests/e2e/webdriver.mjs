// A minimal W3C WebDriver client over fetch: enough to drive the app through tauri-driver
// (which hands the session to WebKitWebDriver, the real WebKitGTK webview).
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** WebDriver's codes for keys that type no character. */
export const KEY = { Control: '\uE009', Enter: '\uE007', Escape: '\uE00C', ArrowDown: '\uE015', ArrowUp: '\uE013', Tab: '\uE004' };

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, application) {
    const value = await call(base, 'POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application } } },
    });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    return (await this.cmd('POST', '/element', { using: 'css selector', value: css }))[ELEMENT];
  }

  async findXPath(xpath) {
    return (await this.cmd('POST', '/element', { using: 'xpath', value: xpath }))[ELEMENT];
  }

  async type(el, text) {
    await this.cmd('POST', `/element/${el}/clear`, {});
    await this.cmd('POST', `/element/${el}/value`, { text });
  }

  /** Waits for an element to appear, then returns it. */
  async waitForElement(css, timeoutMs = 15000) {
    return this.waitFor(css, async () => {
      const found = await this.findAll(css);
      return found[0] ?? null;
    }, timeoutMs);
  }

  async findAll(css) {
    return (await this.cmd('POST', '/elements', { using: 'css selector', value: css })).map((e) => e[ELEMENT]);
  }

  /** The first element matching `css` whose DOM text contains `pattern` (a string or a RegExp), or null. */
  async findWithText(css, pattern) {
    for (const el of await this.findAll(css)) {
      const text = await this.content(el);
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return el;
    }
    return null;
  }

  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  /** The DOM text, whatever CSS does to its rendering. */
  content(el) {
    return this.script('return arguments[0].textContent', [{ [ELEMENT]: el }]);
  }

  /**
   * Presses keys at whatever has focus, as a person would (W3C actions): `chord` keys go down
   * in order and up in reverse, e.g. press(KEY.Control, 'k'). Nothing is clicked.
   */
  press(...chord) {
    const down = chord.map((value) => ({ type: 'keyDown', value }));
    const up = [...chord].reverse().map((value) => ({ type: 'keyUp', value }));
    return this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }] });
  }

  /** Types `text` key by key at whatever has focus. */
  typeKeys(text) {
    const actions = [...text].flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }]);
    return this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** The data-testid of the focused element, or its tag name. */
  focused() {
    return this.script('const e = document.activeElement; return e ? e.getAttribute("data-testid") || e.tagName : null');
  }

  click(el) {
    return this.cmd('POST', `/element/${el}/click`, {});
  }

  script(source, args = []) {
    return this.cmd('POST', '/execute/sync', { script: source, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  /** Polls until `probe` returns a truthy value or the time runs out. */
  async waitFor(what, probe, timeoutMs = 15000) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        last = await probe();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what} (last: ${last})`);
  }

  end() {
    return call(this.base, 'DELETE', `/session/${this.id}`);
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

export async function waitForDriver(base, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not answer at ${base} (is it installed? cargo install tauri-driver --locked)`);
}
