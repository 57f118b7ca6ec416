import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  // TypeScript in <script lang="ts"> blocks; CSS stays plain.
  preprocess: vitePreprocess({ script: true }),
  compilerOptions: { runes: true },
};
