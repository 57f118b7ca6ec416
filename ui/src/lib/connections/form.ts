// The add/edit form's model and its conversion to a ConnectionInput. Pure, so validation and
// the password rules are tested without a DOM.
import type { ConnectionInput, ConnectionTarget, SavedConnection, SslMode } from '../backend';

export const sslModes: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Colours offered for new connections: distinct in both themes, e.g. red for production. */
export const palette = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'] as const;

export interface ConnectionForm {
  mode: 'fields' | 'url';
  label: string;
  colour: string;
  read_only: boolean;
  host: string;
  port: string;
  database: string;
  user: string;
  sslmode: SslMode;
  sslrootcert: string;
  url: string;
  /** Typed by the DBA; never filled from a saved connection. Empty = keep the stored one. */
  password: string;
  forget_password: boolean;
}

export type FormErrors = Partial<Record<'label' | 'colour' | 'host' | 'port' | 'database' | 'user' | 'url', string>>;

export function emptyForm(index = 0): ConnectionForm {
  return {
    mode: 'fields',
    label: '',
    colour: palette[index % palette.length] ?? palette[0],
    read_only: false,
    host: 'localhost',
    port: '5432',
    database: '',
    user: '',
    sslmode: 'prefer',
    sslrootcert: '',
    url: '',
    password: '',
    forget_password: false,
  };
}

/** The form for editing a saved connection. The password is deliberately left empty. */
export function formFrom(saved: SavedConnection): ConnectionForm {
  const form: ConnectionForm = { ...emptyForm(), label: saved.label, colour: saved.colour, read_only: saved.read_only };
  const target = saved.target;
  if (target.kind === 'url') return { ...form, mode: 'url', url: target.url };
  return {
    ...form,
    mode: 'fields',
    host: target.host,
    port: String(target.port),
    database: target.database,
    user: target.user,
    sslmode: target.sslmode,
    sslrootcert: target.sslrootcert ?? '',
  };
}

const URL_PASSWORD = /^(postgres(?:ql)?:\/\/)([^:@/?#]*):([^@/?#]*)@/i;

/**
 * Splits a password out of a `postgres://user:password@host/db` URL, so it travels in the
 * password field (to the keyring) and never in the stored URL.
 */
export function splitUrlPassword(url: string): { url: string; password: string | null } {
  const match = URL_PASSWORD.exec(url);
  if (!match) return { url, password: null };
  const [whole, scheme = '', user = '', encoded = ''] = match;
  let password = encoded;
  try {
    password = decodeURIComponent(encoded);
  } catch {
    // not percent-encoded after all: keep it as typed
  }
  return { url: `${scheme}${user}@${url.slice(whole.length)}`, password };
}

export function urlHasPassword(url: string): boolean {
  return URL_PASSWORD.test(url.trim());
}

function targetOf(form: ConnectionForm): ConnectionTarget {
  if (form.mode === 'url') return { kind: 'url', url: splitUrlPassword(form.url.trim()).url };
  return {
    kind: 'fields',
    host: form.host.trim(),
    port: Number(form.port),
    database: form.database.trim(),
    user: form.user.trim(),
    sslmode: form.sslmode,
    sslrootcert: form.sslrootcert.trim() === '' ? null : form.sslrootcert.trim(),
  };
}

export function validate(form: ConnectionForm): FormErrors {
  const errors: FormErrors = {};
  if (form.label.trim() === '') errors.label = 'Give the connection a name.';
  if (!/^#[0-9a-f]{6}$/i.test(form.colour)) errors.colour = 'A colour like #3b82f6.';
  if (form.mode === 'url') {
    if (!/^postgres(ql)?:\/\/.+/i.test(form.url.trim())) errors.url = 'A URL like postgresql://user@host:5432/db.';
    return errors;
  }
  if (form.host.trim() === '') errors.host = 'Host name, IP address or socket directory.';
  const port = Number(form.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = '1–65535.';
  if (form.database.trim() === '') errors.database = 'Database name.';
  if (form.user.trim() === '') errors.user = 'Role to connect as.';
  return errors;
}

/**
 * The input for connection_save. The password is sent only when typed (or found in a URL);
 * `null` keeps the stored one, and "" is never sent. Forgetting wins over a typed password.
 */
export function toInput(form: ConnectionForm, id: string | null): ConnectionInput {
  const typed = form.password !== '' ? form.password : null;
  const fromUrl = form.mode === 'url' ? splitUrlPassword(form.url.trim()).password : null;
  const password = form.forget_password ? null : (typed ?? (fromUrl === '' ? null : fromUrl));
  return {
    id,
    label: form.label.trim(),
    colour: form.colour.toLowerCase(),
    read_only: form.read_only,
    target: targetOf(form),
    password,
    forget_password: form.forget_password,
  };
}

/** "user@host:5432/db" (fields) or the URL as saved: what the list shows under the label. */
export function describeTarget(target: ConnectionTarget): string {
  if (target.kind === 'url') return target.url;
  return `${target.user}@${target.host}:${target.port}/${target.database}`;
}
