import test from 'ava';
import { renderReportHtml } from '../../../coordinator/html/report-html.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';
import { OTHER, waitEventColours, waitEventFamily } from '../../../coordinator/html/palette.ts';
import { compareRuns } from '../../../coordinator/compare/compare.ts';
import { realisticReport } from '../results/report-fixture.ts';
import { fixtureReport } from '../compare/compare-fixture.ts';

/** Wait-event category → fill colour, for every chart element tagged with its category. */
function fills(html: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, category, colour] of html.matchAll(/<(?:path|rect) class="(?:layer|segment)" data-series="([^"]+)"[^>]*? fill="(#[0-9a-f]{6})"/g)) {
    found.set(category, colour);
  }
  return found;
}

/** Each family's first category in the page's order: the one drawn in the family's own colour. */
function familyColours(categories: Map<string, string>): Map<string, string> {
  const families = new Map<string, string>();
  for (const [category, colour] of categories) if (!families.has(waitEventFamily(category))) families.set(waitEventFamily(category), colour);
  return families;
}

function renderBothPages(): { report: Map<string, string>; compare: Map<string, string> } {
  const { report, spectrum } = realisticReport();
  const runs = [fixtureReport(), fixtureReport({ strategy: 'merge', byEvent: { CPU: 1200, 'LWLock:WALWrite': 300, 'IO:WALSync': 100 } })];
  return { report: fills(renderReportHtml(report, spectrum)), compare: fills(renderCompareHtml(compareRuns(runs), runs)) };
}

test('a wait-event family has the same colour in report.html and compare.html', (t) => {
  const { report, compare } = renderBothPages();
  t.truthy(report.get('Lock:transactionid'));
  t.is(compare.get('Lock:transactionid'), report.get('Lock:transactionid'));
  const shared = [...compare.keys()].filter((category) => report.has(category));
  t.true(shared.length >= 3, `categories on both pages: ${shared.join(', ')}`);
  for (const category of shared) t.is(compare.get(category), report.get(category), category);
  const reportFamilies = familyColours(report);
  const compareFamilies = familyColours(compare);
  const bothFamilies = [...compareFamilies.keys()].filter((family) => reportFamilies.has(family));
  t.true(bothFamilies.includes('LWLock') && bothFamilies.includes('Lock'), `families on both pages: ${bothFamilies.join(', ')}`);
  for (const family of bothFamilies) t.is(compareFamilies.get(family), reportFamilies.get(family), `${family}:*`);
  t.not(report.get('Lock:transactionid'), report.get('CPU'));
});

test('within one chart, events of one family get distinct shades; other and unknown families their own', (t) => {
  const colourOf = waitEventColours(['CPU', 'Lock:transactionid', 'Lock:tuple', 'Lock:relation', 'Strange:thing', 'Odd']);
  t.is(colourOf('Lock:transactionid'), waitEventColours(['Lock:transactionid'])('Lock:transactionid'), 'rank among families does not matter');
  const locks = ['Lock:transactionid', 'Lock:tuple', 'Lock:relation'].map(colourOf);
  t.is(new Set(locks).size, 3);
  t.not(colourOf('Strange:thing'), colourOf('Odd'));
  t.is(colourOf('not ranked'), colourOf(OTHER), 'what the chart did not rank is drawn as other');
});
