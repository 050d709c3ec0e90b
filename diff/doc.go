// Package diff compares two releases of an incident dataset (ACLED's
// weekly and yearly files, UCDP GED versions, GTD corrections), matching
// incidents by incident_id, the way daff compares tables and git diff
// --stat summarizes trees: a count line first, the details on demand.
//
// A Differ is given the Arrow records of OLD and NEW ([Differ.Add], every
// schema column) and [Differ.Run] sorts both by incident_id with an
// external sort (internal/spill: sorted runs in an unlinked temporary file
// in $TMPDIR past [Options.MemoryBytes], merged with one read buffer per
// run), so two full releases of millions of rows are never held in memory.
// Each row is encoded canonically, so an unchanged incident costs one byte
// comparison; a revised one is compared column by column. Floats are
// compared exactly, null and a value differ, and row order is no change.
//
// The change file ([Schema]) is long: one row per added or deleted
// incident and one per changed column of a revised incident, with the old
// and new values as text. The [Summary] counts changes by kind and by
// column, per country and year (fatalities moved), and the net effect on
// events and fatalities_best per [Options.By] group. [Options.Visit] sees
// every incident with its change, which is how `incidents update` applies
// a release to a partitioned dataset.
//
// diff depends on schema (and the module's internal/spill) only.
package diff
