// The API's version, from package.json: sent as API-Version and used as info.version in the OpenAPI document.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const API_VERSION: string = pkg.version;
