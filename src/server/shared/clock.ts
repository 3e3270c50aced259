/** Time comes from a clock so tests can move it; domain code never calls Date.now(). */
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };

/**
 * A frozen clock for tests: it shows the moment it was made (or the one given) and moves
 * only when a test moves it, so a day or an expiry never depends on how long a run takes
 * or whether it crosses midnight UTC (issue 10).
 */
export class TestClock implements Clock {
  private readonly startMs: number;
  private currentMs: number;
  constructor(start: Date = new Date()) {
    this.startMs = start.getTime();
    this.currentMs = this.startMs;
  }
  now(): Date { return new Date(this.currentMs); }
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`TestClock.advance: ${ms} is not a forward move`);
    this.currentMs += ms;
  }
  /** Sets the clock to a moment (forwards or backwards). */
  set(at: Date): void { this.currentMs = at.getTime(); }
  /** Back to the moment the clock started at. */
  reset(): void { this.currentMs = this.startMs; }
}

/** The calendar day (UTC) of a moment, as YYYY-MM-DD. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return dayOf(d);
}
