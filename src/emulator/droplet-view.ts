import { findImage, findRegion, findSize, priceHourly, REGIONS, SIZES } from './catalog.js';
import type { ActionRecord, DropletRecord } from './emulator-types.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function regionView(slug: string) {
  const r = findRegion(slug) ?? { slug, name: slug };
  return {
    name: r.name,
    slug: r.slug,
    features: ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'],
    available: true,
    sizes: SIZES.map((s) => s.slug),
  };
}

export function sizeView(slug: string) {
  const s = findSize(slug)!;
  return {
    slug: s.slug,
    memory: s.memory,
    vcpus: s.vcpus,
    disk: s.disk,
    transfer: s.transfer,
    price_monthly: s.priceMonthly,
    price_hourly: priceHourly(s),
    regions: REGIONS.map((r) => r.slug),
    available: true,
    description: s.description,
    disk_info: [{ type: 'local', size: { amount: s.disk, unit: 'gib' } }],
  };
}

export function imageView(id: number) {
  const i = findImage(id)!;
  return {
    id: i.id,
    name: i.name,
    distribution: i.distribution,
    slug: i.slug,
    public: true,
    regions: REGIONS.map((r) => r.slug),
    created_at: '2026-01-01T00:00:00Z',
    type: 'base',
    min_disk_size: i.minDiskSize,
    size_gigabytes: 2.36,
    description: `${i.distribution} ${i.name}`,
    tags: [],
    status: 'available',
    error_message: '',
  };
}

/** A droplet as DigitalOcean renders it, with every field the DigitalOcean provider reads. */
export function dropletView(d: DropletRecord, now: number) {
  const size = findSize(d.size)!;
  const status = d.power === 'off' ? 'off' : now >= d.activeAt ? 'active' : 'new';
  return {
    id: d.id,
    name: d.name,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    disk_info: [{ type: 'local', size: { amount: size.disk, unit: 'gib' } }],
    locked: d.locked,
    status,
    kernel: null,
    created_at: iso(d.createdAt),
    features: [...(d.monitoring ? ['monitoring'] : []), ...(d.ipv6 ? ['ipv6'] : []), 'droplet_agent', 'private_networking'],
    backup_ids: [],
    next_backup_window: null,
    snapshot_ids: [],
    image: imageView(d.image),
    volume_ids: [],
    size: sizeView(d.size),
    size_slug: d.size,
    networks: {
      v4: status === 'new' ? [] : [{ ip_address: d.address, netmask: '255.0.0.0', gateway: '127.0.0.1', type: 'public' }],
      v6: [],
    },
    region: regionView(d.region),
    tags: [...d.tags],
    vpc_uuid: d.vpcUuid,
  };
}

export function actionView(a: ActionRecord, now: number) {
  const done = now >= a.completesAt;
  return {
    id: a.id,
    status: done ? 'completed' : 'in-progress',
    type: a.type,
    started_at: iso(a.startedAt),
    completed_at: done ? iso(a.completesAt) : null,
    resource_id: a.resourceId,
    resource_type: 'droplet',
    region: regionView(a.region),
    region_slug: a.region,
  };
}
