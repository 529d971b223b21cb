/**
 * AZCM error codes of the Connected Machine agent (azcmagent), from "Troubleshoot Azure Connected Machine agent
 * connection problems" (https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard).
 * Exit codes equal the numbers. Meanings and remedies are paraphrased; the help link is https://aka.ms/arc/azcmerror.
 *
 * The same page has a separate "Agent exit codes" table (page rewritten 2026-07-07, checked 2026-12) whose text differs
 * from the AZCM list for 41, 44, 65, 66, 67, 70, 81 and 82 (and lists 104 and 106, which the AZCM list lacks): those
 * entries carry `exitMeaning`, stated as that table states it, so a bare exit code is explained the way the table does.
 */
export const AZCM_HELP_URL = 'https://aka.ms/arc/azcmerror';

export interface AzcmCode {
  code: string;
  meaning: string;
  remedy: string;
  /** The documented remedy is to (re)start this agent service. */
  restartService?: 'himds';
  /** AZCM0000 is success, not an error. */
  success?: boolean;
  /** The exit-code table's meaning, where it differs from the AZCM list's. */
  exitMeaning?: string;
}

const HIMDS_NOT_RESPONDING = 'the agent service (HIMDS) is not responding or unavailable';
const HIMDS_REMEDY = 'Run the command elevated; make sure the himds service is running (start or restart it), then retry.';

const C = (code: string, meaning: string, remedy: string, extra: Partial<AzcmCode> = {}): AzcmCode => ({ code, meaning, remedy, ...extra });

export const AZCM_CODES: readonly AzcmCode[] = [
  C('AZCM0000', 'the action was successful', 'Nothing to do.', { success: true }),
  C('AZCM0001', 'an unknown error occurred', 'Contact Microsoft Support.'),
  C('AZCM0002', 'an internal error occurred in the agent', 'Restart the agent service (himds) and retry; contact Microsoft Support if it persists.', { restartService: 'himds' }),
  C('AZCM0003', 'the requested operation is not supported', 'Check that the command is valid for this operating system and agent version.'),
  C('AZCM0004', 'the Azure Arc proxy service is not running', 'Make sure the Hybrid Instance Metadata Service (himds) is running, then retry.', { restartService: 'himds' }),
  C('AZCM0005', 'no file logger is available', 'Check that the log directory exists and has disk space and permissions.'),
  C('AZCM0006', 'agent initialization failed', 'Check the prerequisites (network connectivity, permissions), then rerun the command.'),
  C('AZCM0011', 'the user canceled the action', 'Retry the command.'),
  C('AZCM0012', 'the access token is invalid', 'Get a new access token and retry.'),
  C('AZCM0016', 'a mandatory parameter is missing', 'See the error output for the missing parameter (azcmagent <command> --help).'),
  C('AZCM0018', 'the command ran without administrative privileges', 'Retry elevated (administrator or root).'),
  C('AZCM0019', 'the path to the configuration file is incorrect', 'Correct the configuration file path and retry.'),
  C('AZCM0020', 'an unknown region was specified', 'Check the region name for typos and that the region is supported.'),
  C('AZCM0023', 'a parameter value is invalid', 'See the error output and the command syntax (azcmagent <command> --help).'),
  C('AZCM0026', 'network configuration error, or critical services temporarily unavailable',
    'Check that the required endpoints resolve and are reachable (azcmagent check); with Private Link, pass --private-link-scope. Agent 1.31 (first build) showed this behind proxies with "no IP addresses found".'),
  C('AZCM0027', 'a configuration conflict was detected', 'Remove the conflicting settings from the agent configuration and retry.'),
  C('AZCM0028', 'failed to open the TPM device', 'Check that the TPM is enabled and accessible.'),
  C('AZCM0041', 'the credentials supplied are invalid', 'Check the user or service principal (client id, secret and its expiry, tenant) has access to the target tenant and subscription.', { exitMeaning: 'failed to obtain an access token' }),
  C('AZCM0042', 'creating the Azure Arc-enabled server resource failed', 'See the error output; check the onboarding permissions (Azure Connected Machine Onboarding) on the target scope.'),
  C('AZCM0043', 'deleting the Azure Arc-enabled server resource failed', 'Check delete permissions on the resource; if the resource no longer exists, disconnect with --force-local-only.'),
  C('AZCM0044', 'a resource with the same name already exists', 'Use another --resource-name, or delete the existing resource and retry.', { exitMeaning: 'the resource already exists (use azcmagent reconnect instead of connect)' }),
  C('AZCM0045', 'updating the service with the new public key to reconnect failed', 'Check network connectivity, then retry; see the agent logs.'),
  C('AZCM0061', HIMDS_NOT_RESPONDING, HIMDS_REMEDY, { restartService: 'himds' }),
  C('AZCM0062', 'an error occurred while connecting the server', 'See the error output; if the Azure resource was already created, delete it before retrying.'),
  C('AZCM0063', 'an error occurred while disconnecting the server', 'See the error output; if it persists, delete the resource in Azure and run azcmagent disconnect --force-local-only.'),
  C('AZCM0064', HIMDS_NOT_RESPONDING, HIMDS_REMEDY, { restartService: 'himds' }),
  C('AZCM0065', HIMDS_NOT_RESPONDING, HIMDS_REMEDY, { restartService: 'himds', exitMeaning: 'unable to obtain the agent metadata' }),
  C('AZCM0066', HIMDS_NOT_RESPONDING, HIMDS_REMEDY, { restartService: 'himds', exitMeaning: 'unable to obtain the agent status' }),
  C('AZCM0067', 'the machine is already connected to Azure', 'Run azcmagent disconnect to remove the current connection, then connect again.', { exitMeaning: 'the machine is already connected (use azcmagent reconnect instead of connect)' }),
  C('AZCM0068', 'looking up the subscription id from the subscription name failed', 'Retry with the subscription id instead of its name.'),
  C('AZCM0069', 'completing the local configuration update failed', 'Check file permissions on the agent configuration directory and retry.'),
  C('AZCM0070', HIMDS_NOT_RESPONDING, HIMDS_REMEDY, { restartService: 'himds', exitMeaning: 'unable to obtain the local configuration' }),
  C('AZCM0072', 'running an extension tool failed', 'See the extension logs and retry.'),
  C('AZCM0073', 'partner configuration properties could not be obtained', 'Check the partner integration settings and retry.'),
  C('AZCM0074', 'adding extensions failed', 'Check the extension package and retry.'),
  C('AZCM0075', 'the cloud configuration could not be obtained', 'Check connectivity to the required Azure endpoints and retry.'),
  C('AZCM0076', 'connecting with TPM-based authentication failed', 'Check that the TPM is enabled and accessible.'),
  C('AZCM0081', 'downloading the Microsoft Entra managed identity certificate failed', 'The agent cannot talk to Azure Arc: delete the resource in Azure and connect again.', { exitMeaning: 'failed to get the MSI certificate from HIS' }),
  C('AZCM0082', 'getting the managed identity certificate from HIMDS using the TPM failed', 'Make sure himds is running and the TPM is accessible.', { restartService: 'himds', exitMeaning: 'failed to get the MSI certificate from HIS using the TPM' }),
  C('AZCM0083', 'registering the Arc persistent credential with the service failed', 'Check network connectivity and retry; see the agent logs.'),
  C('AZCM0101', 'an error occurred while running the command', 'Check the command syntax and the agent logs.'),
  C('AZCM0102', 'the computer hostname could not be retrieved', 'Retry with --resource-name (letters, digits, hyphens, underscores).'),
  C('AZCM0103', 'generating RSA keys failed', 'Contact Microsoft Support.'),
  C('AZCM0105', 'the signed message could not be obtained', 'Check network connectivity to the Azure Arc service and retry.'),
  C('AZCM0107', 'the certificate could not be retrieved', 'Check the certificate store and retry.'),
  C('AZCM0108', 'processing TPM keys failed', 'Check that the TPM is enabled and accessible.'),
  C('AZCM0130', 'systemctl was not found (the agent needs systemd)', 'Use a supported, systemd-based Linux distribution.'),
  C('AZCM0131', 'the Linux distribution could not be identified', 'Use a supported distribution.'),
  C('AZCM0132', 'the processor architecture or platform is not supported', 'Use a supported platform and architecture.'),
  C('AZCM0133', 'the Linux distribution or its ARM64 variant is not supported', 'Use a supported distribution and architecture.'),
  C('AZCM0141', 'the agent cannot be installed on an Azure virtual machine', 'Azure VMs are managed natively; do not install the agent on them.'),
  C('AZCM0143', 'the package manager failed to install the azcmagent package', 'See the package manager logs and retry.'),
  C('AZCM0145', 'the apt/dpkg lock was still held after 5 minutes', 'Wait for the other apt/dpkg operation to finish, then retry.'),
  C('AZCM0146', 'downloading the Microsoft package repository configuration failed', 'Check that packages.microsoft.com is reachable and retry.'),
  C('AZCM0147', 'the requested agent version was not found (Linux), or the machine is an Azure VM (Windows)', 'Specify an available version; do not install on Azure VMs.'),
  C('AZCM0148', 'downloading the agent installer (.msi) failed', 'Check network, proxy and firewall access to the download endpoint and retry.'),
  C('AZCM0149', 'msiexec returned an unexpected error code', 'See the installation log and the msiexec exit code, then retry.'),
  C('AZCM0150', 'a generic failure occurred during installation', 'Open a support request.'),
  C('AZCM0151', 'the required .NET Framework version is not installed', 'Install the required .NET Framework and retry.'),
  C('AZCM0152', 'the server runs Azure Stack HCI', 'Connect it with the built-in Azure Stack HCI registration instead (https://aka.ms/install-arc-on-hci-host).'),
  C('AZCM0153', 'the operating system is not 64-bit (x64)', 'Install on a supported x64 operating system.'),
  C('AZCM0154', 'the installed PowerShell version is too old', 'Upgrade to PowerShell 3.0 or later and retry.'),
  C('AZCM0155', 'the installation was not run as administrator', 'Run the installation again as an administrator.'),
  C('AZCM0156', 'a fatal error occurred during MSI installation (msiexec 1603)', 'See %SystemRoot%\\AzureConnectedMachineAgent\\temp\\installationlog.txt and retry.'),
  C('AZCM0157', 'the installer could not run curl (permission error)', 'Make sure curl is installed and executable by the installing user.'),
  C('AZCM0158', 'installation failed for lack of disk space (msiexec 112)', 'Free disk space and retry.'),
  C('AZCM0159', 'another installation is already in progress (msiexec 1618)', 'Wait for the other installation to finish, then retry.'),
  C('AZCM0160', 'the installer could not open its log file (msiexec 1622)', 'Make sure the log directory exists and is writable, then retry.'),
  C('AZCM0171', 'the agent MSI failed signature validation', 'Use the genuine, Microsoft-signed installer and retry.'),
];

/** Exit codes only the exit-code table lists (no AZCM entry). */
export const EXIT_ONLY_CODES: Readonly<Record<number, string>> = {
  104: 'failed to retrieve the private key',
  106: 'failed to save the parameters file',
};

/** What an azcmagent process exit code means, as the exit-code table states it (falls back to the AZCM list). */
export function exitCodeMeaning(exitCode: number): string | undefined {
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 9999) return undefined;
  const entry = azcmCode(`AZCM${String(exitCode).padStart(4, '0')}`);
  return entry?.exitMeaning ?? entry?.meaning ?? EXIT_ONLY_CODES[exitCode];
}

/** `azcm0026`, ` AZCM0026 ` -> `AZCM0026`; anything that is not AZCM plus four digits -> undefined. */
export function normalizeAzcmCode(text: string): string | undefined {
  const m = /^\s*azcm(\d{4})\s*$/i.exec(text);
  return m ? `AZCM${m[1]}` : undefined;
}

export function azcmCode(code: string): AzcmCode | undefined {
  const n = normalizeAzcmCode(code);
  return n ? AZCM_CODES.find((c) => c.code === n) : undefined;
}
