// Prints the plain closing line CI reads: "N passed, N failed[, N skipped]",
// summed over vitest JSON reports. A missing or unreadable report counts as
// one failure, so a suite that never ran cannot look green.
import { readFileSync } from "node:fs";

const files = process.argv.slice(2);
if (files.length === 0) files.push("test-results/vitest.json");

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`test-summary: cannot read ${file}: ${err.message}`);
    failed += 1;
    continue;
  }
  // A file that fails to load has no test results; count it as one failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (r) => r.status === "failed" && (r.assertionResults ?? []).length === 0,
  ).length;
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + brokenFiles;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
