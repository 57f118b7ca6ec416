import type { AppInfo } from './bindings';
import { call } from './ipc';

/** Name and versions of the app and its engine. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}
