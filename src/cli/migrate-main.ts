// `npm run migrate`: applies pending migrations to DATABASE_URL and exits.
import { run } from './migrate-command.ts';

process.exitCode = await run();
