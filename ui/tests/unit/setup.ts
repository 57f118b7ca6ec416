import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach } from 'vitest';

// Every test starts outside Tauri, on the default view, with no stored theme.
beforeEach(() => {
  window.location.hash = '';
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
});

afterEach(() => {
  clearMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});
