// Creates the database named in DATABASE_URL when it does not exist yet (connecting to the server's `postgres`
// database to do it). Used by scripts/run-local.sh on a developer's machine; production databases are made by DBAs.
import { createDatabase, databaseExists } from '../harness/database.ts';
import { databaseName, databaseUrl } from '../harness/pg-admin.ts';

const url = process.env['DATABASE_URL'];
if (!url) {
  process.stderr.write('ensure-database: DATABASE_URL is not set\n');
  process.exit(1);
}
const target = new URL(url);
const name = databaseName(url);
if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
  process.stderr.write(`ensure-database: refusing to create a database named ${JSON.stringify(name)}\n`);
  process.exit(1);
}
const admin = databaseUrl(url, 'postgres');
try {
  if (!(await databaseExists(admin, name))) {
    await createDatabase(admin, name);
    process.stdout.write(`ensure-database: created database ${name} on ${target.host}\n`);
  }
} catch (err) {
  process.stderr.write(`ensure-database: cannot reach PostgreSQL at ${target.host}: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
