/** Rule metadata (trusted Markdown) as plain text, for SARIF descriptions and `explain` text output. */
/** Links keep their URL, emphasis and code marks go. */
export function markdownToText(md: string): string {
  return md
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => (text && text !== url ? `${text} (${url})` : url))
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`+([^`]+?)`+/g, '$1')
    .replace(/^#{1,6}\s+/gm, '');
}

