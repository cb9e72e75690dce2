// Which Zorg- en Veiligheidshuis region is responsible for a person: by the CBS code of their municipality, from
// data/ in the repository. Both files are checked at load; a broken line stops the service and names the line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export interface Region {
  region: string;
  name: string;
  /** Recipient id; names the region's topics. */
  recipient: string;
  oins: string[];
}

export interface RegionDirectory {
  regions: readonly Region[];
  /** The region responsible for residents of a municipality, or undefined for an unknown code. */
  byMunicipality(code: string): Region | undefined;
  /** The region a Veiligheidshuis (by OIN) belongs to, when it is registered. */
  byOin(oin: string): Region | undefined;
}

export class RegionDataError extends Error {}

// code,name,region; a name holding a comma is quoted ("Nuenen, Gerwen en Nederwetten").
const CSV_LINE = /^(GM\d{4}),(?:"([^"]+)"|([^,"]+)),(VR\d{2})$/;

export function loadRegionDirectory(dir = DATA_DIR): RegionDirectory {
  const json = JSON.parse(readFileSync(`${dir}veiligheidshuis-regions.json`, 'utf8')) as { regions: Region[] };
  const regions = new Map<string, Region>();
  const byOin = new Map<string, Region>();
  for (const [i, r] of json.regions.entries()) {
    if (!/^VR\d{2}$/.test(r.region) || !/^[a-z0-9-]{1,40}$/.test(r.recipient) || !Array.isArray(r.oins)) {
      throw new RegionDataError(`veiligheidshuis-regions.json: region ${i + 1} is malformed`);
    }
    for (const oin of r.oins) {
      if (!/^\d{20}$/.test(oin)) throw new RegionDataError(`veiligheidshuis-regions.json: region ${r.region} has a malformed OIN`);
      byOin.set(oin, r);
    }
    regions.set(r.region, r);
  }
  const byMunicipality = new Map<string, Region>();
  const lines = readFileSync(`${dir}municipality-regions.csv`, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    const m = CSV_LINE.exec(line.trim());
    const r = m ? regions.get(m[4]!) : undefined;
    if (!m || !r) throw new RegionDataError(`municipality-regions.csv line ${i + 1} is malformed or names an unknown region`);
    const code = m[1]!;
    if (byMunicipality.has(code)) throw new RegionDataError(`municipality-regions.csv line ${i + 1} repeats ${code}`);
    byMunicipality.set(code, r);
  }
  return {
    regions: [...regions.values()],
    byMunicipality: (code) => byMunicipality.get(code),
    byOin: (oin) => byOin.get(oin),
  };
}
