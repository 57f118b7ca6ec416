import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The Tauri webview loads dist/ from tauri://localhost, so asset paths are relative.
// es2021 keeps the output safe for WebKitGTK 2.50 (the Linux webview) as well as Chromium.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: '127.0.0.1',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    cssTarget: ['chrome100', 'safari15'],
    sourcemap: false,
    // On a busy 2-core machine the Svelte compile step always looks "slow"; the warning is noise.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
