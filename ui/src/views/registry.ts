import type { Component } from 'svelte';
import AdvisorView from './AdvisorView.svelte';
import ConnectionsView from './ConnectionsView.svelte';
import GenomeView from './GenomeView.svelte';
import OverviewView from './OverviewView.svelte';
import TenantsView from './TenantsView.svelte';
import TimelineView from './TimelineView.svelte';
import TypesView from './TypesView.svelte';
import WorkloadView from './WorkloadView.svelte';
import type { ViewId } from './ids';

export const viewComponents: Record<ViewId, Component> = {
  connections: ConnectionsView,
  overview: OverviewView,
  genome: GenomeView,
  tenants: TenantsView,
  workload: WorkloadView,
  advisor: AdvisorView,
  timeline: TimelineView,
  types: TypesView,
};
