// Hash-based routing (#/genome): works from tauri://localhost and file:// alike, no server rewrites.
import { defaultViewId, isViewId, type ViewId } from '../views/ids';

function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isViewId(id) ? id : defaultViewId;
}

export function hrefFor(id: ViewId): string {
  return `#/${id}`;
}

class Router {
  current: ViewId = $state(defaultViewId);

  /** Reads the current hash and follows later changes; returns a function that stops following. */
  start(): () => void {
    const sync = () => {
      this.current = viewFromHash(window.location.hash);
    };
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }

  go(id: ViewId): void {
    this.current = id;
    const target = hrefFor(id);
    if (window.location.hash !== target) window.location.hash = target;
  }
}

export const router = new Router();
