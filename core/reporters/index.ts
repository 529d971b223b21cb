/** Reporters render a Report (or several in a MultiReport); each format lives in its own module, loaded on demand. */
import type { MultiReport, Report } from '../model/report';
import type { RenderOptions, Reporter } from './shared';

export type { RenderOptions, Reporter } from './shared';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function render(format: Format, report: Report | MultiReport, options: RenderOptions): string {
  // Loaded lazily so `wac-doctor rules` does not pay for reporters it does not use.
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy loads each reporter for start-up time, as said above */
  switch (format) {
    case 'text': return (require('./text') as { renderText: Reporter }).renderText(report, options);
    case 'json': return (require('./json') as { renderJson: Reporter }).renderJson(report, options);
    case 'sarif': return (require('./sarif') as { renderSarif: Reporter }).renderSarif(report, options);
    case 'junit': return (require('./junit') as { renderJunit: Reporter }).renderJunit(report, options);
    case 'markdown': return (require('./markdown') as { renderMarkdown: Reporter }).renderMarkdown(report, options);
    case 'csv': return (require('./csv') as { renderCsv: Reporter }).renderCsv(report, options);
  }
}
