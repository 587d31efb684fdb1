import type { Clock } from './emulator-types.js';

export interface RateLimits {
  readonly perHour: number;
  readonly perMinute: number;
}

/** DigitalOcean's published limits per token. */
export const DO_RATE_LIMITS: RateLimits = { perHour: 5000, perMinute: 250 };

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds when the oldest request in the hourly window expires. */
  readonly reset: number;
}

/** Sliding-window limiter, one request log per token, like DigitalOcean's two windows. */
export class RateLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock,
  ) {}

  take(token: string): RateDecision {
    const now = this.clock.now();
    const entries = (this.log.get(token) ?? []).filter((t) => t > now - 3_600_000);
    const lastMinute = entries.filter((t) => t > now - 60_000).length;
    const allowed = entries.length < this.limits.perHour && lastMinute < this.limits.perMinute;
    if (allowed) entries.push(now);
    this.log.set(token, entries);
    const oldest = entries[0] ?? now;
    return {
      allowed,
      limit: this.limits.perHour,
      remaining: Math.max(0, this.limits.perHour - entries.length),
      reset: Math.ceil((oldest + 3_600_000) / 1000),
    };
  }
}
