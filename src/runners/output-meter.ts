import type { OutputSink } from './runner-types.js';

/** Counts every byte, forwards bytes up to the cap, and remembers whether it had to cut. */
export class OutputMeter {
  stdoutBytes = 0;
  stderrBytes = 0;
  truncated = false;
  private kept = 0;

  constructor(
    private readonly sink: OutputSink,
    private readonly capBytes: number,
  ) {}

  write(stream: 'stdout' | 'stderr', data: Buffer): void {
    if (stream === 'stdout') this.stdoutBytes += data.length;
    else this.stderrBytes += data.length;
    const room = this.capBytes - this.kept;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = data.length > room ? data.subarray(0, room) : data;
    if (part.length < data.length) this.truncated = true;
    this.kept += part.length;
    this.sink(stream, part);
  }
}
