/**
 * Whether `err` is SQLite refusing a write for a constraint (a UNIQUE or PRIMARY KEY already
 * taken, …), as the libSQL clients report it: `SQLITE_CONSTRAINT` or one of its extended codes,
 * on the error or its cause. A timeout, a lost connection or a server error is none of these.
 */
export function isConstraintViolation(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Object && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT")) return true;
    if (typeof message === "string" && /\bSQLITE_CONSTRAINT|constraint failed/.test(message)) return true;
  }
  return false;
}
