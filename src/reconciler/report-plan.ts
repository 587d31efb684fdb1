import type { FleetPlan } from './reconcile-types.js';

const money = (n: number) => `$${n.toFixed(2)}`;
const GITHUB_LIMIT = 65_536;

/** A readable plan for terminals; `paint` colours words when the output is a TTY. */
export function planText(plan: FleetPlan, paint: (color: 'green' | 'red' | 'yellow' | 'dim', s: string) => string = (_c, s) => s): string {
  const lines: string[] = [`Plan for fleet ${plan.fleet}${plan.gitCommit ? ` at ${plan.gitCommit.slice(0, 12)}` : ''} (engine: ${plan.engine})`, ''];
  for (const a of plan.accounts) {
    lines.push(`account ${a.account}: ${paint('green', `+${a.create}`)} ${paint('red', `-${a.delete}`)} ${paint('yellow', `~${a.update}`)} ${paint('dim', `=${a.unchanged}`)}  quota ${a.used}/${a.capacity}`);
  }
  if (plan.steps.length > 0) {
    lines.push('', 'Droplets:');
    const sign = { create: paint('green', '+'), delete: paint('red', '-'), replace: paint('yellow', '±'), resize: paint('yellow', '~'), retag: paint('yellow', '~') };
    for (const s of plan.steps) lines.push(`  ${sign[s.action]} ${s.name} (${s.account}) ${s.action}: ${s.detail}`);
  }
  const run = plan.scripts.filter((s) => s.run);
  lines.push('', `Scripts: ${run.length} to run, ${plan.scripts.length - run.length} up to date or not due`);
  const byScript = new Map<string, string[]>();
  for (const s of run) byScript.set(`${s.script}: ${s.reason}`, [...(byScript.get(`${s.script}: ${s.reason}`) ?? []), s.droplet.name]);
  for (const [k, names] of byScript) lines.push(`  ${k} on ${names.length}: ${names.slice(0, 8).join(', ')}${names.length > 8 ? `, … ${names.length - 8} more` : ''}`);
  for (const u of plan.unmanaged) lines.push(paint('yellow', `  ! ${u.name} (${u.account}) carries the fleet tag but no stack manages it; godots leaves it alone`));
  lines.push('', `Cost: ${money(plan.cost.before.monthly)}/month → ${money(plan.cost.after.monthly)}/month (${money(plan.cost.after.hourly)}/hour)`);
  lines.push(plan.changes ? 'Run godots apply to make these changes.' : 'No changes: the fleet matches the file.');
  return lines.join('\n');
}

/**
 * A plan for a pull-request comment: a change table per account, scripts to
 * run where, quota and cost; details collapsed, and always under GitHub's
 * 65,536-character comment limit (long lists are summarised).
 */
export function planMarkdown(plan: FleetPlan, maxChars = GITHUB_LIMIT - 536): string {
  const head = [
    `### godots plan: \`${plan.fleet}\`${plan.gitCommit ? ` at \`${plan.gitCommit.slice(0, 12)}\`` : ''}`,
    '',
    plan.changes ? '**Changes pending.**' : '**No changes.** The fleet matches the file.',
    '',
    '| account | create | delete | update | unchanged | quota used |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...plan.accounts.map((a) => `| ${a.account} | ${a.create} | ${a.delete} | ${a.update} | ${a.unchanged} | ${a.used} / ${a.capacity} |`),
    '',
    `Cost: $${plan.cost.before.monthly.toFixed(2)}/month → **$${plan.cost.after.monthly.toFixed(2)}/month** ($${plan.cost.after.hourly.toFixed(4)}/hour)`,
    '',
  ];
  const run = plan.scripts.filter((s) => s.run);
  const scriptRows = new Map<string, { reason: string; names: string[] }>();
  for (const s of run) {
    const k = `${s.script}\0${s.reason}`;
    scriptRows.set(k, { reason: s.reason, names: [...(scriptRows.get(k)?.names ?? []), s.droplet.name] });
  }
  const scriptTable = [
    `**Scripts:** ${run.length} run(s) due, ${plan.scripts.length - run.length} up to date or not due`,
    '',
    '| script | why | droplets |',
    '| --- | --- | ---: |',
    ...[...scriptRows].map(([k, v]) => `| ${k.split('\0')[0]} | ${v.reason} | ${v.names.length} |`),
    '',
  ];
  const stepLines = plan.steps.map((s) => `- \`${s.action}\` ${s.name} (${s.account}): ${s.detail}`);
  const whereLines = [...scriptRows].map(([k, v]) => `- ${k.split('\0')[0]} (${v.reason}): ${v.names.join(', ')}`);
  const unmanaged = plan.unmanaged.map((u) => `- ⚠️ ${u.name} (${u.account}) carries the fleet tag but no stack manages it`);
  let body = [...head, ...scriptTable, ...(unmanaged.length ? [...unmanaged, ''] : [])].join('\n');
  const details = (title: string, lines: string[]) => {
    if (lines.length === 0) return '';
    const open = `\n<details><summary>${title} (${lines.length})</summary>\n\n`;
    const close = '\n\n</details>\n';
    const room = maxChars - body.length - open.length - close.length - 200;
    let shown = lines;
    let text = shown.join('\n');
    while (text.length > room && shown.length > 0) {
      shown = shown.slice(0, Math.floor(shown.length * 0.8));
      text = shown.join('\n') + `\n- … and ${lines.length - shown.length} more (see \`godots plan --format json\`)`;
    }
    return open + text + close;
  };
  body += details('Droplet changes', stepLines);
  body += details('Scripts by droplet', whereLines);
  return body + `\n<sub>godots · engine ${plan.engine} · fleet file sha256 ${plan.fleetSha256.slice(0, 12)}</sub>\n`;
}
