// Prints the closing line CI reads: "N passed, N failed". A suite that could not run
// (a compile error, a crash in setup) counts as failed even though none of its tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    process.stderr.write(`${results.numPassedTests} passed, ${failed} failed\n`)
  }
}
module.exports = SummaryReporter
