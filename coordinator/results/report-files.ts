import { writePhaseLog } from '../../shared/hlog.ts';
import { spectrumFromHistogram } from '../html/percentile-spectrum.ts';
import { renderReportHtml } from '../html/report-html.ts';
import type { ResultFile } from './result-file.ts';

/** The results files rendered at the end: the phase log and the HTML report; intervals.hlog is streamed during the run (interval-log-file.ts). */

/** The HdrHistogram interval log's name in a results folder. */
export const INTERVAL_LOG_FILE_NAME = 'intervals.hlog';

/** Written only when the run recorded phases (shared/phases.ts); spans the measured window. */
export const PHASE_LOG_FILE: ResultFile = {
  name: 'phases.hlog',
  render: ({ phases, report, startAtMs }) => {
    if (!phases || phases.size === 0) return undefined;
    const measuredFromMs = startAtMs + report.config.workload.limits.warmupMs;
    return writePhaseLog(phases, measuredFromMs, measuredFromMs + (report.throughput.windowMs ?? report.durationMs));
  },
};

export const REPORT_HTML_FILE: ResultFile = {
  name: 'report.html',
  render: ({ report, latency }) => renderReportHtml(report, spectrumFromHistogram(latency)),
};
