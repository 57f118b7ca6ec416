import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach } from 'vitest';
import { connection } from '../../src/lib/connection.svelte';

// jsdom has no layout, hence no ResizeObserver (bind:clientHeight uses it). A stub that never
// reports: virtualised lists then use their fallback height.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

// Every test starts outside Tauri, on the default view, with no stored theme and no open connection.
beforeEach(() => {
  connection.set(null);
  window.location.hash = '';
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
});

afterEach(() => {
  clearMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});
