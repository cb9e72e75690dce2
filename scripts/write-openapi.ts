// `npm run openapi:write`: rewrites openapi.yaml from the route schemas (a test fails when the two drift).
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { buildOpenApiDocument } from '../src/http/openapi-document.ts';

const doc = await buildOpenApiDocument();
const header = '# Generated from the route schemas by `npm run openapi:write`; served at GET /v1/openapi.json. Do not edit by hand.\n';
writeFileSync(new URL('../openapi.yaml', import.meta.url), header + stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }));
process.stdout.write('openapi.yaml written\n');
