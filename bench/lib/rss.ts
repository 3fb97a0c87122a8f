// Peak memory of a process, read from Linux's /proc: VmHWM is the resident set's high-water mark
// for the process's whole life, so a fresh process per measured run gives that run's peak.
import { readFileSync } from 'node:fs';

/** `VmHWM` and `VmRSS` of a process in MB, or undefined when it is gone or /proc is absent. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** Samples a process's memory every `everyMs` until stopped; resolves the highest peak seen. */
export function sampleMemory(pid: number, everyMs = 250): { stop(): number } {
  let peak = 0;
  const look = (): void => {
    const memory = memoryOf(pid);
    if (memory) peak = Math.max(peak, memory.peakMb, memory.rssMb);
  };
  look();
  const timer = setInterval(look, everyMs);
  return {
    stop() {
      look();
      clearInterval(timer);
      return peak;
    },
  };
}
