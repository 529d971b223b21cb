/** Where a rule's bundled doc lives in the extension (dist/docs/rules/<id>.md): only for a kebab-case rule id. */
export function bundledDocPath(ruleId: string): string[] | undefined {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(ruleId) ? ['dist', 'docs', 'rules', `${ruleId}.md`] : undefined;
}
