/**
 * Loopback addresses for droplets: `<prefix>.x.y` with x and y from 1 to 254,
 * never the prefix's .0.x range where 127.0.0.1 lives. Released addresses are
 * reused last, so a new droplet rarely gets a recently deleted one's address
 * (unless a test asks for that on purpose).
 */
export class AddressPool {
  private next = 0;
  private readonly free: string[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly prefix = '127.0') {
    if (!/^127\.\d{1,3}$/.test(prefix)) throw new Error(`address prefix must look like 127.N, not ${prefix}`);
  }

  take(): string {
    const reused = this.free.length > 0 && this.next >= 254 * 254 ? this.free.shift() : undefined;
    if (reused) {
      this.used.add(reused);
      return reused;
    }
    if (this.next >= 254 * 254) throw new Error('no loopback addresses left for droplets');
    const n = this.next++;
    const addr = `${this.prefix}.${1 + Math.floor(n / 254)}.${1 + (n % 254)}`;
    this.used.add(addr);
    return addr;
  }

  /** Takes a specific released address: for tests of address reuse by a new droplet. */
  takeReleased(address: string): string | undefined {
    const i = this.free.indexOf(address);
    if (i < 0) return undefined;
    this.free.splice(i, 1);
    this.used.add(address);
    return address;
  }

  release(address: string): void {
    if (this.used.delete(address)) this.free.push(address);
  }
}
