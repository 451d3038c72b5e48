import { checkModel, explainService, Explanation, modelKey } from './explain-core';
import { cell, code, failures, landing } from './format';
import { ExplainCluster, ExplainQuery, ExplainService } from './model';
import { invalid } from '../private/invalid';
import { IstioVersion } from '../versions';

/**
 * The traffic report of one client cluster (what `dist/<cluster>.traffic.md` holds), written to be
 * read in a pull request even for a thousand services: warnings first, then what needs attention
 * (scenarios that answer 503 or fail requests), then the services grouped by behaviour — services
 * whose policy and scenario table are the same share one section, with their hosts listed
 * collapsed. Each distinct service model is explained once (the explanation does not depend on
 * the host), so the cost grows with the number of distinct behaviours, not of services.
 */
export class TrafficReport {
  /**
   * Renders the Markdown report.
   * @param clusters every cluster of the mesh
   * @param services the services, as the client cluster sees them
   * @param fromCluster the client cluster
   * @param warnings warnings to list at the top (`MultiClusterMesh` passes those of the mesh and of the cluster's chart)
   * @param serviceSettings settings the explanation assumes but nothing emits, to make on the app's own Services (e.g. a `trafficDistribution` without a Service object)
   */
  public static markdown(
    clusters: ExplainCluster[], services: ExplainService[], fromCluster: string, warnings?: string[], serviceSettings?: string[],
  ): string {
    checkModel(clusters, services, 'TrafficReport');
    const client = clusters.find((c) => c.name === fromCluster);
    if (!client) invalid('explain', 'TrafficReport', 'fromCluster', fromCluster, 'unknown cluster', `one of ${clusters.map((c) => JSON.stringify(c.name)).join(', ')}`);
    const assumptions: string[] = [];
    const groups = groupServices(clusters, services, client, assumptions);
    const attention = groups.flatMap((g) => g.problems.map((p) => `- ${hostList(g.hosts)}: ${p}`));
    return [
      `# Traffic from ${code(client.name)}`,
      '',
      `Client: cluster ${code(client.name)}, network ${code(client.network)}, locality ${code(localityText(client))}${labelsText(client)}.`,
      `Predicted shares of this cluster's requests (Istio ${client.istioVersion?.version ?? IstioVersion.LATEST.version} + Envoy load balancing, steady state). `
        + '"down" = every pod of that cluster fails while staying Ready: only outlier detection takes it out of rotation.',
      '',
      ...(warnings?.length ? ['## Warnings', '', ...warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`), ''] : []),
      ...(serviceSettings?.length ? ['## To set on your Services', '', 'The explanations below assume these settings, which no object of this chart makes:', '',
        ...serviceSettings.map((x) => `- ${x.replace(/\r?\n/g, ' ')}`), ''] : []),
      ...(attention.length ? ['## Needs attention', '', ...attention, ''] : []),
      ...(groups.length
        ? [`## Services (${services.length}${groups.length < services.length ? `, ${groups.length} distinct behaviours` : ''})`, '', ...groups.flatMap((g) => g.lines)]
        : ['No services.', '']),
      '<details><summary>Assumptions</summary>',
      '',
      ...assumptions.map((a) => `- ${a}`),
      '',
      '</details>',
      '',
    ].join('\n');
  }

  private constructor() {}
}

interface ServiceGroup {
  readonly hosts: string[];
  /** What needs attention, once per scenario that fails requests. */
  readonly problems: string[];
  lines: string[];
}

/**
 * Services whose rendered section (policy + scenario table) is the same form one group, in the
 * order their first service appears.
 */
function groupServices(clusters: ExplainCluster[], services: ExplainService[], client: ExplainCluster, assumptions: string[]): ServiceGroup[] {
  // the section of a service depends on its model, not on its host: render each distinct model once
  const byModel = new Map<string, ServiceGroup>();
  const groups = new Map<string, ServiceGroup>();
  for (const service of services) {
    const model = modelKey(service);
    const known = byModel.get(model);
    if (known) {
      known.hosts.push(service.host);
      continue;
    }
    const scenarios = scenariosOf(clusters, service, client);
    for (const [, e] of scenarios) for (const a of e.result.assumptions) if (!assumptions.includes(a)) assumptions.push(a);
    const body = [
      ...scenarios[0][1].policy.map((p) => `- ${p}`),
      '',
      '| scenario | requests land in | 503 / errors | notes |',
      '| --- | --- | --- | --- |',
      ...scenarios.map(([label, e]) => row(label, e)),
      '',
    ];
    // different models can still read the same (e.g. replicas that do not change any share)
    const key = body.join('\n');
    let group = groups.get(key);
    if (group) {
      group.hosts.push(service.host);
    } else {
      const problems = scenarios.filter(([, e]) => failures(e.result) !== '—')
        .map(([label, e, localDown]) => `${label} → ${failures(e.result)}${localDown ? byDesign(service, client) : ''}`);
      groups.set(key, group = { hosts: [service.host], problems, lines: body });
    }
    byModel.set(model, group);
  }
  for (const g of groups.values()) {
    const more = g.hosts.length - 1;
    g.lines = [
      `### ${code(g.hosts[0])}${more ? ` and ${more} more alike` : ''}`,
      '',
      ...(more ? [`<details><summary>${g.hosts.length} services</summary>`, '', ...g.hosts.map((h) => `- ${code(h)}`), '', '</details>', ''] : []),
      ...g.lines,
    ];
  }
  return [...groups.values()];
}

/** One row of a service's table: its label, the explanation, and whether the client's own cluster is the one down. */
type Scenario = [label: string, explanation: Explanation, localDown: boolean];

function scenariosOf(clusters: ExplainCluster[], service: ExplainService, client: ExplainCluster): Scenario[] {
  const explain = (q: ExplainQuery) => explainService(clusters, service, q);
  const scenarios: Scenario[] = [['steady state', explain({ from: client.name }), false]];
  for (const down of downScenarios(clusters, service, client)) {
    const local = down === client.name;
    scenarios.push([local ? `${down} down (local)` : `${down} down`, explain({ from: client.name, healthy: { [down]: 0 } }), local]);
  }
  // A traffic distribution fails over on readiness, not on errors: show that too.
  if (service.trafficDistribution !== undefined) {
    for (const down of downScenarios(clusters, service, client)) {
      const local = down === client.name;
      scenarios.push([local ? `${down} not Ready (local)` : `${down} not Ready`, explain({ from: client.name, notReady: { [down]: service.replicas[down] ?? 0 } }), local]);
    }
  }
  return scenarios;
}

/**
 * Why a failing local-cluster scenario is what the service asked for: a cluster-local host, or a
 * caller routed to its own cluster's subset, never fails over (the report still lists it: those
 * requests do fail).
 */
function byDesign(service: ExplainService, client: ExplainCluster): string {
  if (service.clusterLocal) return ' (by design: the host is cluster-local)';
  if (service.perClusterRouting?.clusters.includes(client.name)) return ' (by design: per-cluster routing never fails over to another subset)';
  return '';
}

/** `a`, `a` and `b`, or `a` and N more. */
function hostList(hosts: string[]): string {
  if (hosts.length === 1) return code(hosts[0]);
  if (hosts.length === 2) return `${code(hosts[0])} and ${code(hosts[1])}`;
  return `${code(hosts[0])} and ${hosts.length - 1} more alike`;
}

/** The local cluster first, then the others, wherever the service has endpoints. */
function downScenarios(clusters: ExplainCluster[], service: ExplainService, client: ExplainCluster): string[] {
  const runs = (name: string) => (service.replicas[name] ?? 0) > 0;
  const others = clusters.filter((c) => c.name !== client.name && runs(c.name)).map((c) => c.name);
  return runs(client.name) ? [client.name, ...others] : others;
}

function row(scenario: string, e: Explanation): string {
  return `| ${cell(scenario)} | ${cell(landing(e.result))} | ${cell(failures(e.result))} | ${cell(e.outcome.join('; '))} |`;
}

function localityText(c: ExplainCluster): string {
  const subzone = c.zones.length ? c.subzones?.[c.zones[0]]?.[0] : undefined;
  return c.zones.length ? `${c.region}/${c.zones[0]}${subzone ? `/${subzone}` : ''}` : c.region;
}

/** The client cluster's declared pod labels, which failoverPriority compares with the endpoints'. */
function labelsText(c: ExplainCluster): string {
  const labels = Object.entries(c.labels ?? {}).map(([k, v]) => code(`${k}=${v}`));
  return labels.length ? `, pod labels ${labels.join(', ')}` : '';
}
