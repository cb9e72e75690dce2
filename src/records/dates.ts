// Dates in records are Dutch calendar dates: "today" is today in Europe/Amsterdam, whatever the server's zone.
const AMSTERDAM = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

// Every record asks, and Intl's format is slow enough to show in an ingest's CPU profile: the answer is kept for the minute
// it was asked in. Amsterdam's offset from UTC changes only on whole hours, so a date never changes inside a minute.
let cached = { minute: NaN, date: '' };

export function todayInAmsterdam(now: Date = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== cached.minute) cached = { minute, date: AMSTERDAM.format(now) };
  return cached.date;
}

/** Adds whole years to a YYYY-MM-DD date (29 February becomes 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
