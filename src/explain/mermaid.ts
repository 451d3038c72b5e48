import { checkModel, explainService, modelKey } from './explain-core';
import { code, mermaidText, NEGLIGIBLE_PERCENT, percent, shortHost } from './format';
import { ExplainCluster, ExplainResult, ExplainService } from './model';
import { invalid } from '../private/invalid';

/**
 * A Mermaid picture of the mesh (what `dist/mesh.md` holds): clusters grouped by network and
 * region, an east-west gateway per cluster in multi-network meshes, and per service the
 * cross-cluster arrows each client's Envoy uses, labelled with their priority ("P1 failover",
 * dotted while on standby) or their steady-state share ("50%").
 */
export class MeshDiagram {
  /**
   * Renders the Markdown document with a ```mermaid flowchart.
   * @param clusters every cluster of the mesh
   * @param services the services (their routing as any client sees it)
   * @param multiNetwork whether to draw east-west gateways (default: when the clusters span more than one network)
   */
  public static markdown(clusters: ExplainCluster[], services: ExplainService[], multiNetwork?: boolean): string {
    checkModel(clusters, services, 'MeshDiagram');
    if (multiNetwork !== undefined && typeof multiNetwork !== 'boolean') invalid('explain', 'MeshDiagram', 'multiNetwork', multiNetwork, 'must be true or false', 'true, false, or leave it out');
    return diagramMarkdown(clusters, services.map((s) => ({ summary: s, forClient: () => s })), multiNetwork);
  }

  private constructor() {}
}

/**
 * One service of the picture: its declared policy (for the legend) and the view each client's
 * sidecar really has (rules exist only in client clusters' charts; cluster-local is per cluster).
 * @internal
 */
export interface DiagramService {
  readonly summary: ExplainService;
  forClient(cluster: string): ExplainService;
}

/**
 * `MeshDiagram.markdown` with a per-client view of each service. Arrows are aggregated per client
 * and destination cluster: one arrow carries the labels of every service that takes it (`echo:
 * P1 failover`, or `P1 failover ×480` when many services behave alike), so the picture stays
 * readable at 40 clusters and a thousand services. Each distinct service model is explained once
 * per client. The legend groups services by policy. For one service's picture, pass only that
 * service to `MeshDiagram.markdown`. @internal
 */
export function diagramMarkdown(clusters: ExplainCluster[], services: DiagramService[], multiNetwork?: boolean): string {
  const gateways = multiNetwork ?? new Set(clusters.map((c) => c.network)).size > 1;
  const ids = new Map(clusters.map((c, i) => [c.name, i]));
  const lines = ['flowchart LR', ...topology(clusters, gateways)];
  // (client, target node, arrow style) → label → services
  const edges = new Map<string, Map<string, string[]>>();
  const memo = new Map<string, ExplainResult>();
  const byPolicy = new Map<string, string[]>();
  for (const service of services) {
    const name = shortHost(service.summary.host);
    let crosses = false;
    for (const edge of serviceEdges(clusters, service, ids, gateways, memo)) {
      crosses = true;
      let labels = edges.get(edge.key);
      if (!labels) edges.set(edge.key, labels = new Map());
      let names = labels.get(edge.label);
      if (!names) labels.set(edge.label, names = []);
      names.push(name);
    }
    const policy = `${policyKind(service.summary)}${crosses ? '' : ', no cross-cluster traffic'}`;
    let hosts = byPolicy.get(policy);
    if (!hosts) byPolicy.set(policy, hosts = []);
    hosts.push(service.summary.host);
  }
  for (const [key, labels] of edges) {
    const [from, arrow, to] = key.split(' ');
    const text = [...labels].map(([label, names]) => (names.length === 1 ? `${names[0]}: ${label}` : `${label} ×${names.length}`)).join(', ');
    lines.push(`  ${from} ${arrow}|"${mermaidText(text)}"| ${to}`);
  }
  const legend = [...byPolicy].map(([policy, hosts]) => (hosts.length === 1
    ? `- ${code(shortHost(hosts[0]))} (${code(hosts[0])}): ${policy}`
    : `- ${hosts.length} services: ${policy}\n  <details><summary>hosts</summary>\n\n${hosts.map((h) => `  - ${code(h)}`).join('\n')}\n\n  </details>`));
  return [
    '# Mesh',
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
    'Arrows: where each client cluster\'s requests go in steady state (share), or the priority it fails over to (dotted: standby); '
      + '"×N": that many services take the arrow alike.',
    '',
    ...(legend.length ? legend : ['No services.']),
    '',
  ].join('\n');
}

/** Networks as subgraphs, regions inside them, a node per cluster and per east-west gateway. */
function topology(clusters: ExplainCluster[], gateways: boolean): string[] {
  const lines: string[] = [];
  const networks = [...new Set(clusters.map((c) => c.network))];
  networks.forEach((network, n) => {
    lines.push(`  subgraph n${n}["${mermaidText(`network ${network}`)}"]`);
    const inNetwork = clusters.filter((c) => c.network === network);
    [...new Set(inNetwork.map((c) => c.region))].forEach((region, r) => {
      lines.push(`    subgraph n${n}r${r}["${mermaidText(`region ${region}`)}"]`);
      for (const c of inNetwork.filter((x) => x.region === region)) lines.push(`      ${clusterNode(c, clusters.indexOf(c))}`);
      lines.push('    end');
    });
    if (gateways) for (const c of inNetwork) lines.push(`    g${clusters.indexOf(c)}{{"${mermaidText(`east-west gateway ${c.name}`)}"}}`);
    lines.push('  end');
  });
  if (gateways) clusters.forEach((_, i) => lines.push(`  g${i} --- c${i}`));
  return lines;
}

function clusterNode(c: ExplainCluster, index: number): string {
  const zones = c.zones.length ? `<br/>${mermaidText(c.zones.join(', '))}` : '';
  return `c${index}["${mermaidText(c.name)}${zones}"]`;
}

/** One arrow per client and destination cluster the client's requests (may) reach: `key` is `from arrow to`. */
function serviceEdges(
  clusters: ExplainCluster[], service: DiagramService, ids: Map<string, number>, gateways: boolean, memo: Map<string, ExplainResult>,
): Array<{ key: string; label: string }> {
  const edges: Array<{ key: string; label: string }> = [];
  for (const client of clusters) {
    const model = service.forClient(client.name);
    const memoKey = `${JSON.stringify(client.name)}|${modelKey(model)}`;
    let result = memo.get(memoKey);
    if (!result) memo.set(memoKey, result = explainService(clusters, model, { from: client.name }).result);
    const prioritized = new Set(result.priorities.map((p) => p.priority)).size > 1;
    for (const share of result.clusters) {
      if (share.cluster === client.name) continue;
      const label = edgeLabel(result, share.cluster, share.percent, prioritized);
      if (!label) continue;
      const to = ids.get(share.cluster)!;
      const target = gateways && share.viaGateway ? `g${to}` : `c${to}`;
      const arrow = share.percent >= NEGLIGIBLE_PERCENT ? '-->' : '-.->';
      edges.push({ key: `c${ids.get(client.name)} ${arrow} ${target}`, label });
    }
  }
  return edges;
}

/** "P1 failover", "P0 50%", "50%", or nothing when the cluster is neither used nor a failover target. */
function edgeLabel(result: ExplainResult, cluster: string, share: number, prioritized: boolean): string | undefined {
  const used = share >= NEGLIGIBLE_PERCENT;
  if (!prioritized) return used ? percent(share) : undefined;
  const priority = Math.min(...result.priorities.filter((p) => p.localities.some((l) => l.cluster === cluster)).map((p) => p.priority));
  return used ? `P${priority} ${percent(share)}` : `P${priority} failover`;
}

function policyKind(service: ExplainService): string {
  if (service.perClusterRouting) return 'per-cluster routing, each caller stays in its own cluster';
  if (service.weightedSubsets?.length) return `weighted subsets ${service.weightedSubsets.map((s) => `${s.name} ${s.weight}`).join(' / ')}`;
  if (service.clusterLocal) return 'cluster-local';
  const lb = service.localityLb;
  if (!lb) return 'no DestinationRule: spread over every endpoint';
  if (!lb.enabled) return 'locality load balancing off';
  if (lb.distribute.length) return 'weighted distribution';
  if (!lb.outlierDetection) return 'no outlier detection: spread over every endpoint';
  if (lb.failoverPriority.length) return `failoverPriority [${lb.failoverPriority.join(', ')}]`;
  return lb.failover.length ? 'locality failover' : 'default locality failover (outlier detection only)';
}
