import { checkModel, explainService, Explanation } from './explain-core';
import { cell, code, failures, landing } from './format';
import { ExplainCluster, ExplainService } from './model';
import { invalid } from '../private/invalid';

/**
 * The traffic report of one client cluster (what `dist/<cluster>.traffic.md` holds): for each
 * service, where the cluster's requests go in steady state and when each cluster's pods fail,
 * with the reasons. Short enough to review in a pull request.
 */
export class TrafficReport {
  /**
   * Renders the Markdown report.
   * @param clusters every cluster of the mesh
   * @param services the services, as the client cluster sees them
   * @param fromCluster the client cluster
   * @param warnings warnings to list at the top (`MultiClusterMesh` passes those of the mesh and of the cluster's chart)
   */
  public static markdown(clusters: ExplainCluster[], services: ExplainService[], fromCluster: string, warnings?: string[]): string {
    checkModel(clusters, services, 'TrafficReport');
    const client = clusters.find((c) => c.name === fromCluster);
    if (!client) invalid('explain', 'TrafficReport', 'fromCluster', fromCluster, 'unknown cluster', `one of ${clusters.map((c) => JSON.stringify(c.name)).join(', ')}`);
    const assumptions: string[] = [];
    const sections = services.map((service) => serviceSection(clusters, service, client, assumptions));
    return [
      `# Traffic from ${code(client.name)}`,
      '',
      `Client: cluster ${code(client.name)}, network ${code(client.network)}, locality ${code(localityText(client))}${labelsText(client)}.`,
      'Predicted shares of this cluster\'s requests (Istio 1.30 + Envoy load balancing, steady state). '
        + '"down" = every pod of that cluster fails while staying Ready: only outlier detection takes it out of rotation.',
      '',
      ...(warnings?.length ? ['## Warnings', '', ...warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`), ''] : []),
      ...(sections.length ? sections.flat() : ['No services.', '']),
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

function serviceSection(clusters: ExplainCluster[], service: ExplainService, client: ExplainCluster, assumptions: string[]): string[] {
  const steady = explainService(clusters, service, { from: client.name });
  const scenarios: Array<[string, Explanation]> = [['steady state', steady]];
  for (const down of downScenarios(clusters, service, client)) {
    const label = down === client.name ? `${down} down (local)` : `${down} down`;
    scenarios.push([label, explainService(clusters, service, { from: client.name, healthy: { [down]: 0 } })]);
  }
  for (const [, e] of scenarios) for (const a of e.result.assumptions) if (!assumptions.includes(a)) assumptions.push(a);
  return [
    `## ${code(service.host)}`,
    '',
    ...steady.policy.map((p) => `- ${p}`),
    '',
    '| scenario | requests land in | 503 / errors | notes |',
    '| --- | --- | --- | --- |',
    ...scenarios.map(([label, e]) => row(label, e)),
    '',
  ];
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
  return c.zones.length ? `${c.region}/${c.zones[0]}` : c.region;
}

/** The client cluster's declared pod labels, which failoverPriority compares with the endpoints'. */
function labelsText(c: ExplainCluster): string {
  const labels = Object.entries(c.labels ?? {}).map(([k, v]) => code(`${k}=${v}`));
  return labels.length ? `, pod labels ${labels.join(', ')}` : '';
}
