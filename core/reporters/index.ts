/** Reporters render a Report; each format lives in its own module, loaded on demand. */
import type { FailOn, Report } from '../report';
import type { Rule } from '../rule';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** The catalog the report was run with (SARIF rules[], docs links). */
  rules: readonly Rule[];
  /** ANSI colour (text only). */
  color: boolean;
  /** List skips with their reasons (text, markdown). */
  verbose: boolean;
  /** Redact secrets in every string that came from input. Default true; --no-redact turns it off. */
  redact: boolean;
  failOn: FailOn;
}

export type Reporter = (report: Report, options: RenderOptions) => string;

export function render(format: Format, report: Report, options: RenderOptions): string {
  // Loaded lazily so `wac-doctor rules` does not pay for reporters it does not use.
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (format) {
    case 'text': return (require('./text') as { renderText: Reporter }).renderText(report, options);
    case 'json': return (require('./json') as { renderJson: Reporter }).renderJson(report, options);
    case 'sarif': return (require('./sarif') as { renderSarif: Reporter }).renderSarif(report, options);
    case 'junit': return (require('./junit') as { renderJunit: Reporter }).renderJunit(report, options);
    case 'markdown': return (require('./markdown') as { renderMarkdown: Reporter }).renderMarkdown(report, options);
  }
}
