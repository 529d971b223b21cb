/**
 * The report page's only script (bundled by esbuild, loaded with the CSP nonce). The HTML is
 * rendered and escaped by the extension host; this registers the vscode-elements components and
 * turns clicks on [data-action] into messages. The host resolves every message against its stored
 * results, so nothing here can name a command to run.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

document.addEventListener('click', (event) => {
  const el = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!el) return;
  event.preventDefault();
  const { action, rule, index } = el.dataset;
  vscode.postMessage({ type: action, ...(rule ? { ruleId: rule } : {}), ...(index !== undefined ? { index: Number(index) } : {}) });
  if (action === 'copyFix' || action === 'copySummary') {
    // Brief feedback on the button itself; the host does the copying.
    const old = el.textContent;
    el.textContent = 'Copied';
    setTimeout(() => { el.textContent = old; }, 1200);
  }
});

// Reported to the host's log: a blocked resource would otherwise fail silently.
document.addEventListener('securitypolicyviolation', (e) => {
  vscode.postMessage({ type: 'cspViolation', detail: `${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}` });
});

// Opened from the fleet view on one finding: open it (and its section) and bring it into view.
const focusRule = document.body.dataset.focusRule;
if (focusRule) {
  const rule = [...document.querySelectorAll<HTMLDetailsElement>('details.rule')].find((d) => d.dataset.rule === focusRule);
  if (rule) {
    rule.open = true;
    rule.closest('vscode-collapsible')?.setAttribute('open', '');
    rule.classList.add('focused');
    // After the components render their shadow DOM, or the offset is that of the closed section.
    requestAnimationFrame(() => rule.scrollIntoView({ block: 'start' }));
  }
}
