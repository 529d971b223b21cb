/** Playwright helpers for the VS Code workbench as code-server serves it. */
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';

export interface Problem {
  file: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  /** The row's visible text: message, source, code (rule id), position. */
  text: string;
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Runs a command by its palette title (exact match on the row's label). */
  async command(title: string, options: { keepsInputOpen?: boolean } = {}): Promise<void> {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    // Click the row whose label is exactly the title: Enter would take the best fuzzy match.
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      const labels = await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
      await page.keyboard.press('Escape');
      throw new Error(`no command "${title}" in the palette; it offered: ${labels.join(' | ')}`);
    }
    await row.click();
    // Commands such as Go to Line ask for input in the same widget.
    if (!options.keepsInputOpen) await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  async openViewContainer(idPart: string): Promise<void> {
    await this.openActivity(`a[class*="activity-workbench-view-extension-${idPart}"]`);
  }

  async openExplorer(): Promise<void> {
    await this.openActivity('a.codicon-explorer-view-icon');
  }

  private async openActivity(anchor: string): Promise<void> {
    // The <li> holds the icon and its badge (which would intercept a click on the icon).
    const item = this.page.locator(`.activitybar li.action-item:has(${anchor})`);
    // Clicking the active container's icon would hide the side bar.
    if (!(await item.evaluate((el) => el.classList.contains('checked')))) await item.click();
  }

  /** The rows of a view's tree, by the view's pane (aria-label of its pane body). */
  treeRows(viewTitle: string): Locator {
    return this.page.locator(`.pane:has(.pane-header[aria-label*="${viewTitle}"]) .monaco-list-row`);
  }

  /** A tree row by its visible label (label + description). */
  treeRow(viewTitle: string, text: string | RegExp): Locator {
    return this.treeRows(viewTitle).filter({ hasText: text }).first();
  }

  explorerRow(name: string): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
  }

  /** Context-menu item (menus are in a shadow root; Playwright's CSS pierces it). */
  menuItem(label: string): Locator {
    return this.page.locator('.monaco-menu .action-item .action-label', { hasText: label }).first();
  }

  /** Opens a submenu of the open context menu and runs one of its items. */
  async contextSubmenu(submenu: string, item: string): Promise<void> {
    await this.menuItem(submenu).hover();
    const entry = this.menuItem(item);
    await entry.waitFor({ state: 'visible' });
    await entry.hover();
    await this.page.waitForTimeout(150); // the submenu settles after hover before it takes clicks
    await entry.click();
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'detached', timeout: 5_000 });
  }

  problemRows(): Locator {
    return this.page.locator('.markers-panel .monaco-list-row');
  }

  /** Opens the Problems panel maximized, so all rows of a small run are rendered. */
  async showProblems(): Promise<void> {
    await this.command('Problems: Focus on Problems View');
    if (!(await this.page.locator('.part.panel.maximized, .monaco-workbench .part.panel .maximized').count())) {
      await this.command('View: Toggle Maximized Panel');
    }
  }

  async restorePanel(): Promise<void> {
    await this.command('View: Toggle Maximized Panel');
  }

  /** The Problems panel as data, from the rows' aria-labels (file groups, then markers, then their related lines). */
  async problems(): Promise<Problem[]> {
    // The list is virtual: rows off screen do not exist. Callers maximize the panel (showProblems).
    const rows = await this.problemRows().evaluateAll((els) => els.map((e) => ({ aria: e.getAttribute('aria-label') ?? '', text: (e as unknown as { innerText: string }).innerText })));
    const out: Problem[] = [];
    let file = '';
    for (const { aria, text } of rows) {
      const group = /^\d+ problems? in (?:file )?(.+?)(?: of folder .*)?$/.exec(aria);
      if (group) { file = group[1]!; continue; }
      const m = /^(Error|Warning|Info): (.*) at line (\d+) and character (\d+)\./.exec(aria);
      if (m) out.push({ file, severity: m[1]!.toLowerCase(), message: m[2]!, line: Number(m[3]), column: Number(m[4]), text });
    }
    return out;
  }

  /** The content frame of the visible webview (webview iframe -> active-frame). */
  async webviewFrame(timeout = 20_000): Promise<{ locator: FrameLocator; frame: () => Frame | undefined }> {
    const outer = this.page.frameLocator('iframe.webview.ready').first();
    const inner = outer.frameLocator('iframe#active-frame');
    await inner.locator('body').waitFor({ state: 'attached', timeout });
    const frame = (): Frame | undefined => this.page.frames().find((f) => f.name() === 'active-frame' || f.url().includes('fake.html'));
    return { locator: inner, frame };
  }

  /**
   * Puts the cursor into the active editor's line containing `text` and opens the quick fixes; returns
   * the menu's text. Retries: VS Code may still be settling the editor after the click.
   */
  async quickFixesAt(text: string): Promise<string> {
    const editor = this.page.locator('.editor-group-container.active .editor-instance');
    const menu = this.page.locator('.action-widget');
    for (let attempt = 1; ; attempt++) {
      await editor.locator('.view-line', { hasText: text }).first().click({ position: { x: 60, y: 5 } });
      await this.page.keyboard.press('Control+.');
      try {
        await menu.waitFor({ state: 'visible', timeout: 3_000 });
        return await menu.innerText();
      } catch (err) {
        if (attempt === 4) throw err;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Drags the side bar's edge so long tree labels fit in screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const sidebar = await this.page.locator('.part.sidebar').boundingBox();
    if (!sidebar) return;
    const x = sidebar.x + sidebar.width;
    const y = sidebar.y + sidebar.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(sidebar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  statusBarText(): Promise<string> {
    return this.page.locator('.statusbar').innerText();
  }
}
