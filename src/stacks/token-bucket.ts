/**
 * Paces requests under DigitalOcean's per-minute limit, and waits for the
 * window to reset when the API's own `ratelimit-remaining` says it is spent.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private blockedUntil = 0;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
      this.last = t;
      if (t < this.blockedUntil) {
        await this.sleep(this.blockedUntil - t);
        continue;
      }
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }

  /** Feeds the API's headers back: a spent hourly budget blocks until its reset time. */
  observe(remaining: number | null, resetEpochS: number | null): void {
    if (remaining !== null && remaining <= 0 && resetEpochS !== null) this.blockedUntil = Math.max(this.blockedUntil, resetEpochS * 1000);
  }
}
