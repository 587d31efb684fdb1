import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet, placeFleet } from '../../../src/fleet/index.js';
import { fleetProgram } from '../../../src/stacks/pulumi/index.js';

const TOKEN = 'dop_v1_' + 'f00d'.repeat(16);
const created: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        created.push({ type: args.type, name: args.name, inputs: args.inputs });
        const extra = args.type === 'digitalocean:index/droplet:Droplet' ? { ipv4Address: '127.0.9.9', priceMonthly: 6 } : args.type === 'digitalocean:index/sshKey:SshKey' ? { fingerprint: 'aa:bb' } : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...extra } };
      },
      call: (args) => args.inputs,
    },
    'godots',
    'demo-alpha',
    false,
  );
});

describe('the per-account Pulumi program', () => {
  it('declares an explicit provider, the fleet key and the placed droplets, and outputs the inventory without the token', async () => {
    const r = loadFleet(`version: 1
fleet: demo
defaults: { region: [nyc3, sfo3], size: s-1vcpu-1gb, image: debian-12-x64 }
accounts:
  alpha: { token_env: A, api_url: "http://127.0.0.1:8787" }
groups:
  web: { count: 2, tags: [web], user_data: "#!/bin/sh\\necho hi\\n" }
`, { file: '/x/fleet.yaml' });
    if (!r.ok) throw new Error('invalid');
    const placement = placeFleet(r.fleet, [{ account: 'alpha', apiLimit: 10, foreign: 0 }], []);
    if (!placement.ok) throw new Error(placement.message);
    const program = fleetProgram({ fleet: 'demo', account: 'alpha', droplets: placement.droplets, token: TOKEN, apiUrl: 'http://127.0.0.1:8787', publicKey: 'ssh-ed25519 AAAA test' });
    const outputs = await program();
    const inventory = await new Promise((resolve) => (outputs.inventory as pulumi.Output<unknown>).apply(resolve));
    expect(inventory).toEqual([
      { name: 'demo-web-0', id: 'demo-web-0-id', ipv4: '127.0.9.9', account: 'alpha', group: 'web', index: 0, region: 'nyc3', size: 's-1vcpu-1gb', priceMonthly: 6 },
      { name: 'demo-web-1', id: 'demo-web-1-id', ipv4: '127.0.9.9', account: 'alpha', group: 'web', index: 1, region: 'sfo3', size: 's-1vcpu-1gb', priceMonthly: 6 },
    ]);
    await new Promise((r2) => setTimeout(r2, 50));
    const provider = created.find((c) => c.type === 'pulumi:providers:digitalocean')!;
    expect(provider.inputs.apiEndpoint).toBe('http://127.0.0.1:8787');
    expect(provider.inputs.requestsPerSecond).toBeDefined();
    const droplets = created.filter((c) => c.type === 'digitalocean:index/droplet:Droplet');
    expect(droplets.map((d) => d.inputs.name)).toEqual(['demo-web-0', 'demo-web-1']);
    expect(droplets[0]!.inputs).toMatchObject({ region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', userData: '#!/bin/sh\necho hi\n', tags: ['godots', 'godots-fleet:demo', 'godots-group:web', 'web'] });
    expect(created.find((c) => c.type === 'digitalocean:index/sshKey:SshKey')!.inputs).toMatchObject({ name: 'godots-demo', publicKey: 'ssh-ed25519 AAAA test' });
    expect(JSON.stringify(inventory)).not.toContain(TOKEN);
  });
});
