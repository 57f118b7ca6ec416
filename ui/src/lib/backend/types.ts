// Command payload types shared with the Rust side.
//
// GENERATED FILE (to be): once the engine's typegen emits TypeScript bindings, this file is
// regenerated from the Rust types and CI fails on a diff. Until then it is written by hand and
// must mirror src-tauri's serde types exactly (camelCase fields). Do not add UI-only types here.

/** Result of the `app_info` command. */
export interface AppInfo {
  /** Product name, e.g. "IndexPilot". */
  name: string;
  /** Version of the desktop app. */
  version: string;
  /** Version of the engine crate the app was built with. */
  engineVersion: string;
}

/** The one error shape every command rejects with; the UI branches on `code`. */
export interface CommandError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}
