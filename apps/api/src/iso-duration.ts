const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds (`P1W`, `P2D`, `PT1H30M`), or null. */
export function parseIsoDuration(value: string): number | null {
  const m = DURATION.exec(value);
  if (!m || value === "P" || value.endsWith("T")) return null;
  const [, w, d, h, min, s] = m.map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60_000 + s * 1000;
}
