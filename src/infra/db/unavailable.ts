/**
 * Whether an error means the database cannot be reached right now (refused, cut off, shutting down,
 * out of connections), as opposed to a fault in what was asked: the first is worth sending again in
 * a moment, and is answered so (503 with Retry-After), the second is not.
 *
 * The signs are looked for along the error's causes, since the driver's error arrives wrapped by
 * the Prisma adapter and the client.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (signsOfOutage(current)) return true;
    current = (current as { cause?: unknown }).cause ?? driverErrorOf(current);
  }
  return false;
}

/** Socket-level codes of a connection that failed or broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
/** PostgreSQL's: connection exceptions (class 08), shutting down, not accepting connections, too many clients. */
const SQLSTATE = /^(08\d{3}|57P0[1-3]|53300)$/;
/** Prisma's: can't reach the server, timed out reaching it, the server closed the connection. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
const MESSAGES =
  /Connection terminated|connection terminated unexpectedly|Can't reach database server|Client has encountered a connection error|Connection refused|timeout exceeded when trying to connect/i;

function signsOfOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, kind } = error as { code?: unknown; name?: unknown; message?: unknown; kind?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE.test(code) || PRISMA_CODES.has(code)))
    return true;
  if (name === 'PrismaClientInitializationError') return true;
  if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout') return true;
  return typeof message === 'string' && MESSAGES.test(message);
}

/** The driver adapter's own error, which Prisma keeps in `meta` rather than as a cause. */
function driverErrorOf(error: unknown): unknown {
  const meta = (error as { meta?: { driverAdapterError?: unknown } }).meta;
  return meta?.driverAdapterError ?? null;
}
