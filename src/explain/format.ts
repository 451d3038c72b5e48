/**
 * Text helpers shared by the Markdown report and the Mermaid diagram.
 * @internal
 */
import { ExplainResult } from './model';

/** A percentage: whole numbers without decimals, otherwise one decimal (33.3%). @internal */
export function percent(x: number): string {
  const r = Math.round(x * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}%`;
}

/** Below this a share is shown as nothing (rounding noise, not traffic). @internal */
export const NEGLIGIBLE_PERCENT = 0.05;

/** "onprem 70%, gke 30% via gateway", or "—". @internal */
export function landing(result: ExplainResult): string {
  const parts = result.clusters
    .filter((c) => c.percent >= NEGLIGIBLE_PERCENT)
    .map((c) => `${c.cluster} ${percent(c.percent)}${c.viaGateway ? ' via gateway' : ''}`);
  return parts.length ? parts.join(', ') : '—';
}

/** "503 UH 100%", "errors 25%", "404 NR 100%", or "—". @internal */
export function failures(result: ExplainResult): string {
  const parts: string[] = [];
  if (result.noHealthyUpstreamPercent >= NEGLIGIBLE_PERCENT) parts.push(`503 UH ${percent(result.noHealthyUpstreamPercent)}`);
  if (result.failedPercent >= NEGLIGIBLE_PERCENT) parts.push(`errors ${percent(result.failedPercent)}`);
  if (result.noRoutePercent >= NEGLIGIBLE_PERCENT) parts.push(`404 NR ${percent(result.noRoutePercent)}`);
  return parts.length ? parts.join(', ') : '—';
}

/** Text for a Markdown table cell: no pipes, no line breaks. @internal */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code in Markdown, safe for names containing backticks. @internal */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

const MERMAID_ENTITIES: { [ch: string]: string } = {
  '"': '#quot;', '#': '#35;', '<': '#lt;', '>': '#gt;', '|': '#124;', '`': '#96;', '&': '#38;', '\\': '#92;',
};

/**
 * Text inside a quoted Mermaid label: special characters as Mermaid entity codes, line breaks as
 * spaces, so the label never ends the string, the edge text or the statement.
 * @internal
 */
export function mermaidText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/["#<>|`&\\]/g, (ch) => MERMAID_ENTITIES[ch]);
}

/** The short name of a service host: `name.namespace` of `name.namespace.svc.cluster.local`. @internal */
export function shortHost(host: string): string {
  const labels = host.split('.');
  return labels.length > 2 ? labels.slice(0, 2).join('.') : host;
}
