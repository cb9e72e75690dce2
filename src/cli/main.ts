// `gcos-zsm-bridge <command>`: the project's command-line tools. Each command is one module in this folder.
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  migrate: { summary: 'apply pending database migrations (DATABASE_URL)', load: () => import('./migrate-command.ts') },
  validate: { summary: 'print the verdict the service would give a record file (no database needed)', load: () => import('./validate-command.ts') },
  'audit-verify': {
    summary: 'verify the processing log hash chains; name the first broken link (DATABASE_URL)',
    load: () => import('./audit-verify-command.ts'),
  },
  'client-token': { summary: 'make a bearer token for a client: prints it once, stores only its hash', load: () => import('./client-token-command.ts') },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`);
  process.stderr.write(`usage: gcos-zsm-bridge <command> [args]\n\ncommands:\n${lines.join('\n')}\n`);
  process.exitCode = name ? 2 : 0;
} else {
  process.exitCode = await (await command.load()).run(args);
}
