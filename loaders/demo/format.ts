// Calendar and CSV text helpers: dates, times, cents, ids and RFC 4180 fields (deterministic, no locale, no time zone).

export const DAY = 86_400;
export const WEEK = 7 * DAY;

/** Days since 1970-01-01 → [year, month 1–12, day] (Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Seconds since the epoch of a "YYYY-MM-DD" date at midnight UTC. */
export function parseDate(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y!, m! - 1, d!) / 1000;
}

export const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

/** Seconds since the epoch → "YYYY-MM-DD". */
export function formatDate(seconds: number): string {
  const [y, m, d] = civilFromDays(Math.floor(seconds / DAY));
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Seconds since the epoch → "HH:MM:SS". */
export function formatTime(seconds: number): string {
  const s = Math.floor(seconds) % DAY;
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** Whole cents → "12.34" / "-0.05". */
export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  const rest = abs % 100;
  return `${cents < 0 ? "-" : ""}${Math.floor(abs / 100)}.${rest < 10 ? "0" : ""}${rest}`;
}

/** RFC 4180: quote a field only if it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const padId = (prefix: string, n: number, width: number) => prefix + String(n).padStart(width, "0");

/** Splits one CSV line (RFC 4180 quotes, no line breaks inside fields). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let value = "";
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i++;
          } else {
            i++;
            break;
          }
        } else value += line[i];
      }
    } else {
      const next = line.indexOf(",", i);
      value = line.slice(i, next < 0 ? line.length : next);
      i = next < 0 ? line.length : next;
    }
    out.push(value);
    if (line[i] !== ",") return out;
    i++;
  }
}
