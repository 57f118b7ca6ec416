import type { Component } from 'svelte';
import AdvisorView from '../lib/advisor/AdvisorView.svelte';
import ConnectionsView from '../lib/connections/ConnectionsView.svelte';
import GenomeView from '../lib/genome/GenomeView.svelte';
import OverviewView from '../lib/overview/OverviewView.svelte';
import TenantsView from '../lib/tenants/TenantsView.svelte';
import TimelineView from '../lib/timeline/TimelineView.svelte';
import TypesView from '../lib/types/TypesView.svelte';
import WorkloadView from '../lib/workload/WorkloadView.svelte';
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
