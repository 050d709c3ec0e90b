// Package stats computes the summary numbers researchers take from incident
// data: casualty statistics per group (events, events with deaths, unknown
// counts, sums of the low/best/high estimates, mean, sample standard
// deviation, median, p90, p99, maximum and the deadliest incident), the
// party breakdown of deaths, frequency statistics per period (counts with
// empty periods filled with zero, the mean count with an exact Poisson
// confidence interval, the index of dispersion with its chi-square test and
// a linear trend), and the discrete power-law fit of incident severity
// (Clauset, Shalizi & Newman 2009).
//
// The Accumulator is push-based: Add takes Arrow records of the incidents
// schema (or any record holding the columns Columns names, dictionary or
// plain strings), so statistics stream over files of any size and any
// source. Each statistic is a small accumulator that ingests values and
// emits a result; counts and sums are exact integers, moments use
// Welford's update, and exact quantiles keep only the one column they need.
// Add works a column at a time: the rows that pass the filters, then each
// row's group (a dense table over the group columns' codes, dictionary
// indices mapped once per record), then one loop per statistic, each group
// seeing its rows in record order.
//
// Quantiles are R's type 7: for sorted known values x[0..n-1] and
// probability p, h = (n-1)p and Q(p) = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]),
// the default of numpy, pandas and DuckDB's quantile_cont. Means, standard
// deviations and quantiles are over known (non-null) values only; the
// *_null columns say how many were unknown.
//
// A Result is one flat table whose column names are the same in every
// output format (aligned text, JSON, CSV, Markdown and an Arrow record).
package stats
