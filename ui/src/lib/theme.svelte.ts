// Light/dark theme on <html data-theme>. Follows the OS until the user picks one; the pick
// is remembered in localStorage.
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'indexpilot.theme';

function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null; // storage can be disabled; the OS preference still applies
  }
}

function systemTheme(): Theme {
  const query = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  return query?.matches ? 'dark' : 'light';
}

class ThemeState {
  current: Theme = $state('light');

  /** Applies the stored or system theme and follows OS changes while no choice is stored. */
  start(): () => void {
    this.apply(storedTheme() ?? systemTheme());
    if (typeof window.matchMedia !== 'function') return () => {};
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = (event: MediaQueryListEvent) => {
      if (storedTheme() === null) this.apply(event.matches ? 'dark' : 'light');
    };
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }

  toggle(): void {
    const next: Theme = this.current === 'dark' ? 'light' : 'dark';
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // not persisted, still applied
    }
    this.apply(next);
  }

  private apply(theme: Theme): void {
    this.current = theme;
    document.documentElement.dataset.theme = theme;
  }
}

export const theme = new ThemeState();
