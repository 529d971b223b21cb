/**
 * What the documented WAC probe URLs answer (WAC troubleshooting docs), as the phrase every reader looks for:
 * the parsers of pasted probe output (core/parsers/wac-home) and the rules that judge a probe's body
 * (rules/support/probe-verdict). The pages say more around them ("You've found the ... home page.", "... in the
 * Azure Portal"); the phrases are what identifies them.
 */
export const WAC_HOME_TEXT = "Windows Admin Center in Azure APIs' home page";
export const WAC_CERT_SERVICE_TEXT = 'Microsoft Certificate and DNS service for Windows Admin Center';
