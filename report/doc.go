// Package report draws incident statistics: a map of events by place and
// country, time series of events and
// fatalities per period, bar charts of the top countries, actors and event
// types, the party breakdown, the severity distribution as a complementary
// CDF on log-log axes with its fitted power law, and a table of the deadliest
// incidents. It writes single charts as SVG, PNG or PDF (WritePlot) and the
// whole set as one self-contained HTML page (WriteHTML): CSS and SVG charts
// inline, no scripts, nothing fetched from the network.
//
// The package draws; it does not compute statistics. A Report holds plain
// numbers; a Builder fills one from Arrow records in a single pass through
// stats.Accumulators (Options.StatsOptions names the options of each), so
// every figure on the page equals what 'incidents stats' prints. Besides
// statistics the page needs rows, which a Collector keeps: the severity
// sample behind the CCDF and the deadliest incidents. A ChartBuilder does
// the same for one chart (incidents plot). The charts use gonum.org/v1/plot
// with the Okabe-Ito palette, which stays distinguishable under the common
// colour-vision deficiencies.
//
// The map (Map, WriteMap) is drawn directly as SVG, or on gonum's canvases
// for PNG and PDF, from Natural Earth's 1:110m country outlines embedded as
// TopoJSON (World) and a MapCollector's binned points, in the EqualEarth or
// Equirectangular projection.
package report
