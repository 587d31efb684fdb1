/** The regions, sizes and images the emulator offers: enough for validation and cost estimates. */

export interface RegionInfo {
  readonly slug: string;
  readonly name: string;
}

export interface SizeInfo {
  readonly slug: string;
  readonly memory: number;
  readonly vcpus: number;
  readonly disk: number;
  readonly transfer: number;
  readonly priceMonthly: number;
  readonly description: string;
}

export interface ImageInfo {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly distribution: string;
  readonly minDiskSize: number;
}

export const REGIONS: readonly RegionInfo[] = [
  { slug: 'nyc1', name: 'New York 1' },
  { slug: 'nyc3', name: 'New York 3' },
  { slug: 'sfo2', name: 'San Francisco 2' },
  { slug: 'sfo3', name: 'San Francisco 3' },
  { slug: 'ams3', name: 'Amsterdam 3' },
  { slug: 'sgp1', name: 'Singapore 1' },
  { slug: 'lon1', name: 'London 1' },
  { slug: 'fra1', name: 'Frankfurt 1' },
  { slug: 'tor1', name: 'Toronto 1' },
  { slug: 'blr1', name: 'Bangalore 1' },
  { slug: 'syd1', name: 'Sydney 1' },
];

// Prices as DigitalOcean lists them (monthly, USD); hourly is monthly / 672 as DigitalOcean computes it.
export const SIZES: readonly SizeInfo[] = [
  { slug: 's-1vcpu-512mb-10gb', memory: 512, vcpus: 1, disk: 10, transfer: 0.5, priceMonthly: 4, description: 'Basic' },
  { slug: 's-1vcpu-1gb', memory: 1024, vcpus: 1, disk: 25, transfer: 1, priceMonthly: 6, description: 'Basic' },
  { slug: 's-1vcpu-2gb', memory: 2048, vcpus: 1, disk: 50, transfer: 2, priceMonthly: 12, description: 'Basic' },
  { slug: 's-2vcpu-2gb', memory: 2048, vcpus: 2, disk: 60, transfer: 3, priceMonthly: 18, description: 'Basic' },
  { slug: 's-2vcpu-4gb', memory: 4096, vcpus: 2, disk: 80, transfer: 4, priceMonthly: 24, description: 'Basic' },
  { slug: 's-4vcpu-8gb', memory: 8192, vcpus: 4, disk: 160, transfer: 5, priceMonthly: 48, description: 'Basic' },
  { slug: 'c-2', memory: 4096, vcpus: 2, disk: 25, transfer: 4, priceMonthly: 42, description: 'CPU-Optimized' },
  { slug: 'c-4', memory: 8192, vcpus: 4, disk: 50, transfer: 5, priceMonthly: 84, description: 'CPU-Optimized' },
  { slug: 'g-2vcpu-8gb', memory: 8192, vcpus: 2, disk: 25, transfer: 4, priceMonthly: 63, description: 'General Purpose' },
  { slug: 'm-2vcpu-16gb', memory: 16384, vcpus: 2, disk: 50, transfer: 4, priceMonthly: 84, description: 'Memory-Optimized' },
];

export const IMAGES: readonly ImageInfo[] = [
  { id: 160000001, slug: 'ubuntu-24-04-x64', name: '24.04 (LTS) x64', distribution: 'Ubuntu', minDiskSize: 7 },
  { id: 160000002, slug: 'ubuntu-22-04-x64', name: '22.04 (LTS) x64', distribution: 'Ubuntu', minDiskSize: 7 },
  { id: 160000003, slug: 'debian-12-x64', name: '12 x64', distribution: 'Debian', minDiskSize: 7 },
  { id: 160000004, slug: 'debian-13-x64', name: '13 x64', distribution: 'Debian', minDiskSize: 7 },
  { id: 160000005, slug: 'fedora-42-x64', name: '42 x64', distribution: 'Fedora', minDiskSize: 7 },
  { id: 160000006, slug: 'rockylinux-9-x64', name: '9 x64', distribution: 'Rocky Linux', minDiskSize: 7 },
];

export function priceHourly(size: SizeInfo): number {
  return Math.round((size.priceMonthly / 672) * 100000) / 100000;
}

export const findRegion = (slug: string) => REGIONS.find((r) => r.slug === slug);
export const findSize = (slug: string) => SIZES.find((s) => s.slug === slug);
export const findImage = (ref: string | number) =>
  IMAGES.find((i) => i.slug === ref || i.id === Number(ref));
