// `npm run asyncapi:write`: rewrites asyncapi.yaml from the exchange policy and the schemas (a test fails when the
// two drift).
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { buildAsyncApiDocument } from '../src/http/asyncapi-document.ts';

const header = '# Generated from the exchange policy and the schemas by `npm run asyncapi:write`; served at GET /v1/asyncapi.json. Do not edit by hand.\n';
writeFileSync(new URL('../asyncapi.yaml', import.meta.url), header + stringify(buildAsyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false }));
process.stdout.write('asyncapi.yaml written\n');
