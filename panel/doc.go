// Package panel builds regression-ready panels from incidents: one row per
// unit and period with true zeros where nothing was recorded, only for
// units that existed then, joined to other data by standard codes.
//
// Units are states of a state system (Gleditsch & Ward's list of
// independent states, or the Correlates of War state system v2016; both
// embedded with their membership dates, see data/SOURCES.md), ISO 3166
// countries as found in the data, admin1 units as named in the data,
// PRIO-GRID v2 0.5-degree cells, or one global series. Periods are the
// date_start buckets of the stats package (day, ISO week, month, quarter,
// year), so a month means the same thing in every command.
//
// A state has a row for each period in which it is a member on at least
// one day (peacesciencer's and the states package's convention): South
// Sudan from 2011, Yugoslavia (GW 345) until 2006 and Serbia (GW 340)
// after. An event goes to the first state of its ISO3 (data/iso3_codes.csv,
// in order) that is a member on its day; failing that, to one that is a
// member at some time of the event's period; failing that it is left out
// and listed, by country, in the Summary, never dropped silently.
//
// A PRIO-GRID cell is gid = (row - 1) * 720 + col with
// row = floor((lat + 90) / 0.5) + 1 and col = floor((lon + 180) / 0.5) + 1.
// Events whose geo_precision is admin1, country or unknown are in no cell:
// their coordinates are a centroid standing for a larger area. They are
// counted in Summary.Coarse by precision.
//
// Sums are of the known values; each has a *_null count of the unknown
// ones, and a sum is null (not 0) when every event of a unit-period has an
// unknown value. A unit-period without events has 0 everywhere.
//
// The Builder is push-based like stats.Accumulator: Add takes Arrow records
// and keeps only the unit-periods with events (a sparse table); Emit walks
// units and periods in order, filling the zeros as it goes, and hands over
// records of Options.BatchRows rows, so a PRIO-GRID cell-month panel of a
// continent over decades streams to Parquet in bounded memory.
package panel
