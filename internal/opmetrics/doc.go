// Package opmetrics keeps the metrics klue's servers and clients record per
// operation, through the OpenTelemetry metrics API only: a counter of the
// requests and a histogram of their durations, both by status class, and
// the requests in flight. Both sides record the same instruments, named and
// described for their side by a [Side].
//
// The attributes of each operation are built once, when it is spawned or
// configured. The two counters are asynchronous: each [Operation] keeps
// its counts, which a request moves with an atomic addition, and the meter
// reads them when it collects, rather than every request making an SDK
// measurement, which normalises its attributes each time. The histogram
// records each duration as it comes.
package opmetrics
