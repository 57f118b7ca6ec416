// The connection the views work on. Nothing sets it yet: the connection manager will.
export interface ActiveConnection {
  /** Name the DBA gave the connection. */
  name: string;
  /** host:port/database, without credentials. */
  target: string;
}

class ConnectionState {
  active: ActiveConnection | null = $state(null);
}

export const connection = new ConnectionState();
