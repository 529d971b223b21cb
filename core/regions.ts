/** Regions the WAC doc (2024-10) lists for Windows Admin Center in the Azure portal. */
export const WAC_REGIONS_DATE = '2024-10-30';

export const WAC_REGIONS: readonly string[] = [
  'Australia East', 'Brazil South', 'Canada Central', 'Canada East', 'Central India', 'Central US', 'East Asia',
  'East US', 'East US 2', 'France Central', 'Japan East', 'Korea Central', 'North Central US', 'North Europe',
  'South Africa North', 'South Central US', 'Southeast Asia', 'Sweden Central', 'Switzerland North', 'UAE North',
  'UK South', 'UK West', 'West Central US', 'West Europe', 'West US', 'West US 2', 'West US 3',
];

/** `West Europe` / `westeurope` / `West-Europe` -> `westeurope`. */
export function normalizeRegion(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isWacRegion(name: string): boolean {
  const n = normalizeRegion(name);
  return WAC_REGIONS.some((r) => normalizeRegion(r) === n);
}

export function regionDisplayName(name: string): string {
  const n = normalizeRegion(name);
  return WAC_REGIONS.find((r) => normalizeRegion(r) === n) ?? name;
}
