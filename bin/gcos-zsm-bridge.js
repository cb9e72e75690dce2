#!/usr/bin/env node
// Command-line entry (`npx gcos-zsm-bridge <command>`). Commands live in src/cli/; they need Node.js 24.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `gcos-zsm-bridge needs Node.js 24 or later (this is ${process.version}); run it through npx or npm run, which use the project's Node 24.\n`,
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
