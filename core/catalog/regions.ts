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

/**
 * Azure region names (`az account list-locations --query [].name`, public, government and China clouds, as of
 * 2026): what `--region` is checked against. A region missing here is a usage error naming the nearest ones.
 */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral',
  'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'centraluseuap',
  'chilecentral', 'eastasia', 'eastus', 'eastus2', 'eastus2euap', 'francecentral', 'francesouth', 'germanynorth',
  'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'jioindiacentral',
  'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northcentralus',
  'northeurope', 'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest',
  'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'swedensouth', 'switzerlandnorth',
  'switzerlandwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westindia',
  'westus', 'westus2', 'westus3',
  'usgovarizona', 'usgovtexas', 'usgovvirginia', 'usdodcentral', 'usdodeast',
  'chinaeast', 'chinaeast2', 'chinaeast3', 'chinanorth', 'chinanorth2', 'chinanorth3',
];

export function isAzureRegion(name: string): boolean {
  return AZURE_REGIONS.includes(normalizeRegion(name));
}
