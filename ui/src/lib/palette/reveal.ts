import { tick } from 'svelte';

/** Scrolls the element `selector` finds into the middle of the view once the DOM shows it. */
export async function revealed(selector: string): Promise<void> {
  await tick();
  document.querySelector(selector)?.scrollIntoView?.({ block: 'center' });
}
