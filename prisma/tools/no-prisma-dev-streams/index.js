// `prisma dev` (a local Prisma Postgres) is not part of Leadpool: it has its own PGlite and PostgreSQL.
export async function startLocalDurableStreamsServer() {
  throw new Error('prisma dev is not supported in Leadpool: use the embedded database or DATABASE_URL');
}
