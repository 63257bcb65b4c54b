import { writeIntervalLog } from '../../shared/hlog.ts';
import { spectrumFromHistogram } from '../html/percentile-spectrum.ts';
import { renderReportHtml } from '../html/report-html.ts';
import type { ResultFile } from './result-file.ts';

/** The results files this module renders: the HdrHistogram interval log and the HTML report. */

export const INTERVAL_LOG_FILE: ResultFile = {
  name: 'intervals.hlog',
  render: ({ intervals, startAtMs }) => writeIntervalLog(intervals, startAtMs),
};

export const REPORT_HTML_FILE: ResultFile = {
  name: 'report.html',
  render: ({ report, latency }) => renderReportHtml(report, spectrumFromHistogram(latency)),
};
