import { spectrumFromHistogram } from '../html/percentile-spectrum.ts';
import { renderReportHtml } from '../html/report-html.ts';
import type { ResultFile } from './result-file.ts';

/** The HTML report, rendered at the end; intervals.hlog is streamed during the run (interval-log-file.ts). */

/** The HdrHistogram interval log's name in a results folder. */
export const INTERVAL_LOG_FILE_NAME = 'intervals.hlog';

export const REPORT_HTML_FILE: ResultFile = {
  name: 'report.html',
  render: ({ report, latency }) => renderReportHtml(report, spectrumFromHistogram(latency)),
};
