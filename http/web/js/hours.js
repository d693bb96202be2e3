// Opening hours as served by the API ({timezone, always_open, weekly: [{days, opens, closes}],
// closures: [{from, to}]}), evaluated in the service's own time zone.
export const DAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];
const SHORT = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

const minutes = (clock) => {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
};

/** Weekday index (0 = Monday), minutes since midnight and the date, in `timeZone`. */
export function localTime(timeZone, date = new Date()) {
  const parts = {};
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  for (const p of format.formatToParts(date)) parts[p.type] = p.value;
  return {
    day: SHORT[parts.weekday],
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** true (open), false (closed) or null (unknown) at `date`. */
export function isOpen(hours, date = new Date()) {
  if (!hours || !hours.timezone) return null;
  let now;
  try { now = localTime(hours.timezone, date); } catch { return null; }
  for (const c of hours.closures || []) {
    if (c.from && now.date >= c.from.slice(0, 10) && (!c.to || now.date <= c.to.slice(0, 10))) return false;
  }
  if (hours.always_open) return true;
  if (!hours.weekly || !hours.weekly.length) return null;
  const today = DAYS[now.day];
  const yesterday = DAYS[(now.day + 6) % 7];
  for (const shift of hours.weekly) {
    const opens = minutes(shift.opens);
    const closes = minutes(shift.closes);
    if (closes > opens) {
      if (shift.days.includes(today) && now.minutes >= opens && now.minutes < closes) return true;
    } else { // overnight shift
      if (shift.days.includes(today) && now.minutes >= opens) return true;
      if (shift.days.includes(yesterday) && now.minutes < closes) return true;
    }
  }
  return false;
}

/** "Mon–Fri 08:00–12:00, 13:00–17:00; Sat 09:00–13:00" with day names from `dayName`. */
export function describe(hours, dayName) {
  if (!hours || !hours.weekly) return '';
  const byDays = new Map();
  for (const shift of hours.weekly) {
    const key = DAYS.filter((d) => shift.days.includes(d)).join(',');
    if (!byDays.has(key)) byDays.set(key, []);
    byDays.get(key).push(`${shift.opens}–${shift.closes}`);
  }
  const dayRange = (key) => {
    const idx = key.split(',').map((d) => DAYS.indexOf(d));
    const contiguous = idx.every((v, i) => i === 0 || v === idx[i - 1] + 1);
    if (idx.length > 2 && contiguous) return `${dayName(DAYS[idx[0]])}–${dayName(DAYS[idx[idx.length - 1]])}`;
    return idx.map((i) => dayName(DAYS[i])).join(', ');
  };
  return [...byDays].map(([key, shifts]) => `${dayRange(key)} ${shifts.join(', ')}`).join('; ');
}
