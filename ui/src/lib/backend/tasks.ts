// Long-running work (init, sync) reports through the "progress" event and can be cancelled.
import { listen } from '@tauri-apps/api/event';
import type { Progress } from './bindings';
import { call, hasBackend } from './ipc';

/** Task ids the backend uses in Progress.task and accepts in task_cancel. */
export const Task = { Init: 'init', Sync: 'sync' } as const;

/**
 * Calls `handler` for every "progress" event. Resolves once the listener is registered (await
 * it before starting the command, or early events are lost) to a function that unsubscribes.
 * Progress is informative only: without a backend, or if subscribing fails, it resolves to a
 * no-op and the command's own result still arrives.
 */
export async function onProgress(handler: (progress: Progress) => void): Promise<() => void> {
  if (!hasBackend()) return () => {};
  try {
    const unlisten = await listen<Progress>('progress', (event) => handler(event.payload));
    // Tauri's unlisten is async; a failure to unsubscribe must not become an unhandled rejection.
    return () => {
      void Promise.resolve(unlisten()).catch(() => undefined);
    };
  } catch {
    return () => {};
  }
}

/** Asks the backend to stop a running task; resolves to whether it will. */
export function taskCancel(task: string): Promise<boolean> {
  return call<boolean>('task_cancel', { task });
}
