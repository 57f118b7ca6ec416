// Keyboard shortcuts, resolved from a key event into an action so the mapping is testable
// without a DOM. App.svelte performs the actions.
import { viewIds, type ViewId } from '../views/ids';

export type ShortcutAction =
  | { kind: 'view'; view: ViewId }
  | { kind: 'palette' }
  | { kind: 'help' }
  | { kind: 'escape' };

export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Digit 1..9 from the physical key, so Ctrl+1 also works on layouts where 1 needs Shift. */
function digitOf(event: KeyLike): number | null {
  const fromKey = /^[1-9]$/.test(event.key) ? Number(event.key) : null;
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  return fromKey ?? (match?.[1] !== undefined ? Number(match[1]) : null);
}

/**
 * @param typing true while focus is in a text field: plain keys then belong to the field.
 */
export function shortcutFor(event: KeyLike, typing: boolean): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !event.altKey && !event.shiftKey) {
    // Ctrl+K as in editors and Slack, Ctrl+P as in VS Code and DBeaver: both open the palette.
    if (/^[kp]$/i.test(event.key) || event.code === 'KeyK' || event.code === 'KeyP') return { kind: 'palette' };
    const digit = digitOf(event);
    const view = digit === null ? undefined : viewIds[digit - 1];
    return view === undefined ? null : { kind: 'view', view };
  }
  if (event.key === 'Escape') return { kind: 'escape' };
  if (typing || mod || event.altKey) return null;
  if (event.key === '/') return { kind: 'palette' };
  if (event.key === '?') return { kind: 'help' };
  return null;
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** "⌘" on Apple platforms, "Ctrl" elsewhere. */
export function modifierLabel(): string {
  const platform = typeof navigator === 'undefined' ? '' : navigator.platform || navigator.userAgent;
  return /Mac|iPhone|iPad/.test(platform) ? '⌘' : 'Ctrl';
}

/** The list shown in the help overlay. */
export function shortcutList(): { keys: string[]; label: string }[] {
  const mod = modifierLabel();
  return [
    { keys: [mod, 'K'], label: 'Command palette: every view and action, search tables, fields, statements, proposals, changes' },
    { keys: [mod, 'P'], label: 'Command palette (as in other editors)' },
    { keys: ['/'], label: 'Command palette' },
    { keys: [mod, `1 … ${viewIds.length}`], label: 'Switch view (in sidebar order)' },
    { keys: ['↑', '↓', 'Enter'], label: 'In the palette: move, run' },
    { keys: ['?'], label: 'Show or hide this help' },
    { keys: ['Esc'], label: 'Close the palette, a dialog or this help' },
  ];
}
