// Experiments' before/after charts, drawn by the engine on request (in the current theme)
// and kept per experiment until the view's connection changes. Shown as an image, not
// inline markup: nothing in the SVG can run.
import { experimentChart, toBackendError, type BackendError } from '../backend';
import { theme } from '../theme.svelte';

export class ExperimentCharts {
  /** SVG per experiment id, for those drawn so far. */
  svgs = $state.raw<Record<number, string>>({});
  /** Why the last chart asked for could not be drawn. */
  error = $state<BackendError | null>(null);

  async show(experimentId: number): Promise<void> {
    this.error = null;
    try {
      const svg = await experimentChart(experimentId, theme.current);
      this.svgs = { ...this.svgs, [experimentId]: svg };
    } catch (reason) {
      this.error = toBackendError(reason);
    }
  }

  /** Forgets the charts drawn (another connection's experiments). */
  clear(): void {
    this.svgs = {};
  }

  /** The drawn chart as an image URL, or undefined when it is not drawn yet. */
  url(experimentId: number): string | undefined {
    const svg = this.svgs[experimentId];
    return svg === undefined ? undefined : `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }
}
