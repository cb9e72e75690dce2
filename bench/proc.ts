// CPU time and peak memory of a process, from /proc (Linux): utime + stime in clock ticks, VmHWM in kB.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSeconds(pid: number): number {
  return processStat(pid).cpuSeconds;
}

/** The command name and CPU seconds of a process, and of its children that have ended and been waited for (throws
 * when it is gone). */
export function processStat(pid: number): { comm: string; cpuSeconds: number; endedChildrenCpuSeconds: number } {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  return {
    comm,
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, // utime, stime (fields 14 and 15)
    endedChildrenCpuSeconds: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND, // cutime, cstime (16 and 17)
  };
}

export function memoryMb(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** CPU seconds of every process whose command name is `comm` (all of PostgreSQL's backends, say), as far as /proc
 * lets this user read them, with the seconds of their children that have ended: a backend that exits between two
 * calls has its seconds moved to the postmaster's count of reaped children, so the sum never goes back. */
export function cpuSecondsOf(comm: string): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = processStat(Number(name));
      if (s.comm === comm) total += s.cpuSeconds + s.endedChildrenCpuSeconds;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
