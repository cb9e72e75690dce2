import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, loadRegionDirectory, RegionDataError } from '../../../src/regions/regions.ts';

describe('the municipality-to-region table', () => {
  const d = loadRegionDirectory();

  it('places every municipality in one of the 25 regions', () => {
    expect(d.regions).toHaveLength(25);
    expect(d.byMunicipality('GM0599')?.name).toBe('Rotterdam-Rijnmond');
    expect(d.byMunicipality('GM0363')?.region).toBe('VR13');
    expect(d.byMunicipality('GM0820')?.name).toBe('Brabant-Zuidoost'); // a quoted name with a comma
    expect(d.byMunicipality('GM9999')).toBeUndefined();
    const lines = readFileSync(`${DATA_DIR}municipality-regions.csv`, 'utf8').trim().split('\n').slice(1);
    expect(lines.every((l) => d.byMunicipality(l.slice(0, 6)) !== undefined)).toBe(true);
  });

  it('knows the Veiligheidshuizen registered by OIN', () => {
    expect(d.byOin('00000001823288444000')?.region).toBe('VR17');
    expect(d.byOin('00000000000000000001')).toBeUndefined();
  });

  it('stops with the line number on a broken line or an unknown region', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regions-'));
    cpSync(DATA_DIR, dir, { recursive: true });
    const csv = join(dir, 'municipality-regions.csv');
    writeFileSync(csv, 'municipality_code,municipality_name,region\nGM0599,Rotterdam,VR17\nGM0363,Amsterdam,VR99\n');
    expect(() => loadRegionDirectory(`${dir}/`)).toThrow(new RegionDataError('municipality-regions.csv line 3 is malformed or names an unknown region'));
    writeFileSync(csv, 'municipality_code,municipality_name,region\nGM0599,Rotterdam,VR17\nGM0599,Rotterdam,VR17\n');
    expect(() => loadRegionDirectory(`${dir}/`)).toThrow(/line 3 repeats GM0599/);
  });
});
