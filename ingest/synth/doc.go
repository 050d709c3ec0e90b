// Package synth writes deterministic synthetic incident data in the column
// layouts of the real sources: ACLED's export (31 columns, UTF-8 byte order
// mark), UCDP GED (49 columns), the GTD (135 columns) and the hand-coded
// reports layout of SCHEMA.md (casualty phrases, several reports per
// incident). It feeds the benchmarks ('incidents gen', 'make bench') and
// tests that need big or ugly inputs.
//
// Values are drawn to look like the real thing: real country names as each
// dataset spells them, with ISO 3166 numeric and Gleditsch-Ward codes;
// ACLED's event and sub-event taxonomy with its disorder types; notes with
// commas, quotes and the odd line break; tens of thousands of distinct place
// names; and heavy-tailed fatalities: most events have none, and the
// positive counts follow a discrete power law P(k) ~ k^-2.2, so a few
// events have thousands.
//
// With Options.Messy = f, a share f of rows carry exactly one bad value (an
// unknown country, an impossible or unreadable date, or a figure that cannot
// be read), so an ingest run has rejects to account for.
//
// Output is a pure function of (layout, n, seed, Messy): rows are built in
// blocks of 2048, each from its own splitmix64 stream seeded from (seed,
// block), so any number of workers gives byte-identical files, and no Go
// release can change them.
package synth
