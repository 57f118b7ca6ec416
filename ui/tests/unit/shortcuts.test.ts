import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from '../../src/lib/shortcuts';

function key(init: Partial<KeyLike> & { key: string }): KeyLike {
  return { code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init };
}

describe('shortcutFor', () => {
  it('maps Ctrl/Cmd+1..8 to the views in sidebar order', () => {
    expect(shortcutFor(key({ key: '1', ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'connections' });
    expect(shortcutFor(key({ key: '2', ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'overview' });
    expect(shortcutFor(key({ key: '6', metaKey: true }), false)).toEqual({ kind: 'view', view: 'advisor' });
    expect(shortcutFor(key({ key: '8', ctrlKey: true }), true)).toEqual({ kind: 'view', view: 'types' });
    expect(shortcutFor(key({ key: '9', ctrlKey: true }), false)).toBeNull();
  });

  it('uses the physical key when the layout needs Shift for digits', () => {
    expect(shortcutFor(key({ key: '&', code: 'Digit1', ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'connections' });
  });

  it('leaves plain keys to text fields', () => {
    expect(shortcutFor(key({ key: '/' }), false)).toEqual({ kind: 'palette' });
    expect(shortcutFor(key({ key: '?', shiftKey: true }), false)).toEqual({ kind: 'help' });
    expect(shortcutFor(key({ key: '/' }), true)).toBeNull();
    expect(shortcutFor(key({ key: '?' }), true)).toBeNull();
    expect(shortcutFor(key({ key: 'Escape' }), true)).toEqual({ kind: 'escape' });
  });

  it('opens the palette with Ctrl/Cmd+K and Ctrl/Cmd+P, even from a text field', () => {
    expect(shortcutFor(key({ key: 'k', ctrlKey: true }), false)).toEqual({ kind: 'palette' });
    expect(shortcutFor(key({ key: 'p', metaKey: true }), true)).toEqual({ kind: 'palette' });
    // A layout where the key is not a Latin letter: the physical key counts.
    expect(shortcutFor(key({ key: 'л', code: 'KeyK', ctrlKey: true }), true)).toEqual({ kind: 'palette' });
    expect(shortcutFor(key({ key: 'k' }), false)).toBeNull();
    expect(shortcutFor(key({ key: 'K', ctrlKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('ignores other modifier combinations', () => {
    expect(shortcutFor(key({ key: '1', ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(key({ key: '/', ctrlKey: true }), false)).toBeNull();
  });
});
