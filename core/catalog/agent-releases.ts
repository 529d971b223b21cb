/**
 * Connected Machine agent releases: one row per `## Version <major.minor> - <Month Year>` heading of
 * https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes and
 * https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes-archive
 * (checked 2026-12; 1.26 is "January 2023", Linux only). Months marked approximate (1.52, 1.53) were not
 * confirmed from a heading and were inferred from the neighbouring releases.
 *
 * The table ships with the tool and states its own date: rules measure "how far behind" against it,
 * not against the clock, so results are reproducible; agent-version says so when the report date is more
 * than TABLE_STALE_MONTHS past it. To update: add rows here, move AGENT_RELEASES_AS_OF to the newest row's
 * month, and update the pinned newest release in core/catalog/agent-releases.test.ts.
 */
export const AGENT_RELEASES_AS_OF = '2026-08';

/** After this many months past AGENT_RELEASES_AS_OF the table may be missing newer releases. */
export const TABLE_STALE_MONTHS = 6;

/** The WAC doc's minimum since mid-2022. */
export const WAC_MIN_AGENT = '1.13.21320.014';

/** Versions the WAC doc says break WAC (fixed in 1.37). */
export const WAC_BROKEN_AGENTS: readonly string[] = ['1.35', '1.36'];

/** `azcmagent upgrade` exists from this release (https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-upgrade, checked 2026-12). */
export const AZCMAGENT_UPGRADE_MIN = '1.62';

export interface AgentRelease {
  /** major.minor */
  version: string;
  /** YYYY-MM */
  month: string;
  approximate?: boolean;
}

const R = (version: string, month: string, approximate = false): AgentRelease => (approximate ? { version, month, approximate } : { version, month });

export const AGENT_RELEASES: readonly AgentRelease[] = [
  R('1.0', '2020-09'),
  R('1.12', '2021-10'), R('1.13', '2021-11'),
  R('1.14', '2022-01'), R('1.15', '2022-02'), R('1.16', '2022-03'), R('1.17', '2022-04'),
  R('1.18', '2022-05'), R('1.19', '2022-06'), R('1.20', '2022-07'),
  R('1.21', '2022-08'), R('1.22', '2022-09'), R('1.23', '2022-10'), R('1.24', '2022-11'),
  // 1.26 was Linux only, released the same month as 1.25.
  R('1.25', '2023-01'), R('1.26', '2023-01'), R('1.27', '2023-02'), R('1.28', '2023-03'),
  R('1.29', '2023-04'), R('1.30', '2023-05'),
  R('1.31', '2023-06'), R('1.32', '2023-07'), R('1.33', '2023-08'), R('1.34', '2023-09'),
  R('1.35', '2023-10'), R('1.36', '2023-11'), R('1.37', '2023-12'),
  R('1.38', '2024-02'), R('1.39', '2024-03'), R('1.40', '2024-04'), R('1.41', '2024-05'), R('1.42', '2024-05'),
  R('1.43', '2024-06'), R('1.44', '2024-07'), R('1.45', '2024-08'), R('1.46', '2024-09'), R('1.47', '2024-10'),
  R('1.48', '2025-01'), R('1.49', '2025-02'), R('1.50', '2025-03'),
  R('1.51', '2025-04'), R('1.52', '2025-05', true), R('1.53', '2025-06', true), R('1.54', '2025-07'), R('1.55', '2025-08'),
  R('1.56', '2025-09'), R('1.57', '2025-10'), R('1.58', '2025-11'), R('1.59', '2025-12'),
  R('1.60', '2026-01'), R('1.61', '2026-02'), R('1.62', '2026-03'), R('1.63', '2026-04'),
  R('1.64', '2026-05'), R('1.65', '2026-06'), R('1.66', '2026-07'), R('1.67', '2026-08'),
];

export const NEWEST_AGENT: AgentRelease = AGENT_RELEASES[AGENT_RELEASES.length - 1]!;

export function releaseOf(majorMinor: string): AgentRelease | undefined {
  return AGENT_RELEASES.find((r) => r.version === majorMinor);
}

/** Whole months from a to b (YYYY-MM), b later gives a positive number. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}

/** `YYYY-MM` of a date, in UTC. */
export function monthOf(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Whether the table is more than TABLE_STALE_MONTHS older than `now` (the report date). */
export function releaseTableStale(now: Date): boolean {
  return monthsBetween(AGENT_RELEASES_AS_OF, monthOf(now)) > TABLE_STALE_MONTHS;
}
