// The connection every view works on. The backend owns it (connection_open makes one active);
// this mirrors it so views and the status bar react when it changes.
import { activeConnection, type ActiveConnection } from './backend';

class ConnectionState {
  active: ActiveConnection | null = $state(null);

  /** Reads the backend's active connection, e.g. after a reload of the webview. */
  async refresh(): Promise<void> {
    try {
      this.active = await activeConnection();
    } catch {
      // No backend (browser preview) or not available yet: nothing is active.
      this.active = null;
    }
  }

  set(active: ActiveConnection | null): void {
    this.active = active;
  }
}

export const connection = new ConnectionState();

/** Title for controls that write, when the active connection forbids writing. */
export const READ_ONLY_TITLE = 'Read-only connection: edits are disabled. Edit the connection to allow them.';
