import type { DriftReport } from './reconcile-types.js';

export function driftText(report: DriftReport): string {
  if (report.items.length === 0) return `No drift: fleet ${report.fleet} matches its file and its run log.`;
  const lines = [`Drift in fleet ${report.fleet}: ${report.items.length} item(s)`];
  for (const i of report.items) lines.push(`  [${i.kind}] ${i.droplet ?? ''}${i.account ? ` (${i.account})` : ''}: ${i.detail}\n      fix: ${i.fix}`);
  return lines.join('\n');
}

/** For the scheduled drift issue; summarised under GitHub's limit like the plan. */
export function driftMarkdown(report: DriftReport, maxChars = 65_000): string {
  if (report.items.length === 0) return `### godots drift: \`${report.fleet}\`\n\nNo drift.\n`;
  const counts = new Map<string, number>();
  for (const i of report.items) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  let out = `### godots drift: \`${report.fleet}\`\n\n**${report.items.length} item(s) drifted.**\n\n| kind | count |\n| --- | ---: |\n${[...counts].map(([k, n]) => `| ${k} | ${n} |`).join('\n')}\n\n<details><summary>Items</summary>\n\n`;
  let shown = 0;
  for (const i of report.items) {
    const line = `- **${i.kind}** ${i.droplet ?? ''}${i.account ? ` (${i.account})` : ''}: ${i.detail}. Fix: \`${i.fix}\`\n`;
    if (out.length + line.length > maxChars - 200) break;
    out += line;
    shown++;
  }
  if (shown < report.items.length) out += `- … and ${report.items.length - shown} more (see \`godots drift --format json\`)\n`;
  return out + '\n</details>\n';
}
