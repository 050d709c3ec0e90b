// Package link finds incidents that are likely the same real-world event:
// the same attack in ACLED, UCDP GED and the GTD, or one event emitted
// twice by one source, and groups them into clusters so that each event can
// be counted once.
//
// Blocking keeps it near-linear: the events are sorted by country and
// date_start (an external sort: the events spill to temporary files past
// Options.SortBudget) and swept with a window, so only events of the same
// country whose date ranges are at most Options.Days apart are compared. A
// date range is the event's date_start..date_end, so a month-precision
// event can match any day of its month. Of those pairs, the candidates are
// the ones whose places fit:
//
//   - two points (exact, near or admin2 precision) within Options.KM km
//     (haversine), widened by each side's precision: near +25 km, admin2
//     +50 km;
//   - an event known to its admin1 only matches anywhere in the same admin1
//     (names compared without "province", "governorate", "region", ...;
//     when a name is missing, within KM + 100 km of the admin1's point);
//   - an event known to its country only (or of unknown place) matches
//     anywhere in the country, but never at sea (XXX).
//
// Each candidate gets five features in [0,1] and a score, their weighted
// mean (date 0.25, place 0.25, event type 0.15, actors 0.20, fatalities
// 0.15; a feature unknown on either side is left out and the others' weights
// scaled up):
//
//   - date: 1 - gap/(Days+1), times 1, 0.9, 0.8, 0.5 or 0.25 for the
//     coarser date precision of the two (day, days, week, month, year);
//   - place: for points 1 - distance/(limit+1), 0.35 for the same admin1,
//     0.15 for the same country;
//   - event type: the compatibility of the two types of the schema's shared
//     taxonomy (ACLED's six types, onto which every layout maps; no
//     hand-made taxonomy): 1 the same, 0.7 battles and explosions (UCDP's
//     state-based violence covers ACLED's strikes and shelling), 0.7
//     explosions and violence against civilians, 0.6 battles and violence
//     against civilians, 0.6 riots and protests, 0.5 against unknown, lower
//     for the rest (0 a protest and a battle); two different UCDP types of
//     violence at most 0.3;
//   - actors: the names normalized (case, accents, ACLED's "(2019-)" dates,
//     the country's own name, stop words; "Government of X", "Military
//     Forces of X" and "Police Forces of X" are one state side, "Civilians"
//     and the GTD's "Villagers" one civilian side) and compared by their
//     words (the overlap coefficient, spelling variants by Jaro-Winkler >=
//     0.9) or acronyms ("IS" and "Islamic State (Syria)", "ISIL" and
//     "Islamic State of Iraq and the Levant"); a match of the state or
//     civilian side alone counts 0.6; the two sides are paired the way that
//     matches best, the better pair weighing 0.7;
//   - fatalities: 1 when the low..high ranges overlap, else (smaller+1) /
//     (larger+1) of the bests.
//
// Candidates scoring at least Options.MinScore are links when each event is
// the other's best match in its dataset (one-to-one between two datasets,
// as MELTT matches; decided when both events have left the window, so it
// streams too). The links'
// connected components (union-find) are clusters; one member represents
// each (see Representative), so that 'incidents stats --dedupe' counts a
// cluster once, with its representative's row.
//
// Memory: the sweep holds the window's events; besides it Linker keeps
// 9 bytes per event (union-find, toll and precision) and a bit, so 2.3M
// events take about 21 MB beyond the sort's budget.
package link
