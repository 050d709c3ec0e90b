// The dashboard of incidents serve: filters -> where parameters -> the
// API -> Observable Plot charts. Everything it loads comes from this
// server (the libraries are embedded in the binary), so it works offline.
"use strict";

(function () {
  const okabeIto = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"];
  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat("en-US");
  const state = { renders: 0, errors: [], query: "", inFlight: 0 };
  window.__dashboard = state; // read by the browser test
  let eventLabels = {};
  let generation = 0; // a newer redraw supersedes an older one's results

  function showError(msg) {
    const el = $("error");
    el.textContent = msg;
    el.hidden = false;
    state.errors.push(msg);
  }

  async function api(path, params) {
    const url = "api/" + path + (params.toString() ? "?" + params.toString() : "");
    state.inFlight++;
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await res.json();
      if (!res.ok) {
        throw new Error(body && body.error ? body.error : res.status + " " + res.statusText);
      }
      return { data: body, rows: Number(res.headers.get("X-Incidents-Rows")), more: !!res.headers.get("Link") };
    } finally {
      state.inFlight--;
    }
  }

  // where returns the where parameters of the filters.
  function filters() {
    const w = [];
    const country = $("f-country").value, from = $("f-from").value, to = $("f-to").value, et = $("f-event-type").value;
    if (country) w.push("country_iso3=" + country);
    if (from) w.push("date_start>=" + from);
    if (to) w.push("date_start<=" + to);
    if (et) w.push("event_type=" + et);
    return w;
  }

  function params(extra) {
    const p = new URLSearchParams();
    for (const w of filters()) p.append("where", w);
    for (const [k, v] of Object.entries(extra || {})) p.append(k, v);
    return p;
  }

  function place(id, node, query) {
    const fig = $(id);
    const box = fig.querySelector(".plot");
    box.replaceChildren(node);
    fig.dataset.state = "ready";
    fig.dataset.query = query;
  }

  function width(id) {
    return Math.max(320, $(id).querySelector(".plot").clientWidth || 600);
  }

  async function drawHeadline(gen) {
    const { data } = await api("stats", params({ stats: "events,fatalities_best_sum,fatalities_low_sum,fatalities_high_sum,fatalities_null_share,injured_best_sum,detained_best_sum" }));
    const countries = await api("stats", params({ by: "country_iso3", stats: "events" }));
    if (gen !== generation) return;
    const r = data[0] || {};
    const cells = [
      ["incidents", fmt.format(r.events || 0)],
      ["fatalities (best)", fmt.format(r.fatalities_best_sum || 0)],
      ["fatalities low - high", fmt.format(r.fatalities_low_sum || 0) + " - " + fmt.format(r.fatalities_high_sum || 0)],
      ["fatalities unknown", r.fatalities_null_share == null ? "-" : (100 * r.fatalities_null_share).toFixed(1) + "%"],
      ["injured", fmt.format(r.injured_best_sum || 0)],
      ["detained", fmt.format(r.detained_best_sum || 0)],
      ["countries", fmt.format(countries.data.length)],
    ];
    const el = $("headline");
    el.replaceChildren(...cells.map(([k, v]) => {
      const d = document.createElement("div");
      const b = document.createElement("b");
      b.textContent = v;
      const s = document.createElement("span");
      s.textContent = k;
      d.append(b, s);
      return d;
    }));
    el.dataset.state = "ready";
    el.dataset.events = String(r.events || 0);
  }

  async function drawSeries(gen) {
    const period = $("f-period").value;
    const p = params({ period });
    const { data } = await api("series", p);
    if (gen !== generation) return;
    for (const el of document.querySelectorAll(".period")) el.textContent = period;
    const rows = data.map((d) => ({ ...d, time: new Date(d.time) }));
    const q = p.toString();
    place("chart-events", Plot.plot({
      width: width("chart-events"), height: 240, marginLeft: 50,
      x: { type: "utc", label: null }, y: { grid: true, label: "events" },
      marks: [
        Plot.rectY(rows, { x1: "time", x2: (d) => nextPeriod(d.time, period), y: "events", fill: okabeIto[0], inset: 0.5, title: (d) => d.period + ": " + fmt.format(d.events) + " events" }),
        Plot.ruleY([0]),
      ],
    }), q);
    place("chart-fatalities", Plot.plot({
      width: width("chart-fatalities"), height: 240, marginLeft: 60,
      x: { type: "utc", label: null }, y: { grid: true, label: "fatalities" },
      marks: [
        Plot.areaY(rows, { x: "time", y1: "fatalities_low_sum", y2: "fatalities_high_sum", fill: okabeIto[3], fillOpacity: 0.25, curve: "step-after" }),
        Plot.lineY(rows, { x: "time", y: "fatalities_best_sum", stroke: okabeIto[3], strokeWidth: 1.5, curve: "step-after" }),
        Plot.ruleY([0]),
        Plot.tip(rows, Plot.pointerX({ x: "time", y: "fatalities_best_sum", title: (d) => d.period + ": " + fmt.format(d.fatalities_best_sum) + " (" + fmt.format(d.fatalities_low_sum) + " - " + fmt.format(d.fatalities_high_sum) + ")" })),
      ],
    }), q);
  }

  function nextPeriod(t, period) {
    const d = new Date(t.getTime());
    switch (period) {
      case "day": d.setUTCDate(d.getUTCDate() + 1); break;
      case "week": d.setUTCDate(d.getUTCDate() + 7); break;
      case "quarter": d.setUTCMonth(d.getUTCMonth() + 3); break;
      case "year": d.setUTCFullYear(d.getUTCFullYear() + 1); break;
      default: d.setUTCMonth(d.getUTCMonth() + 1);
    }
    return d;
  }

  async function drawBars(gen) {
    const pc = params({ by: "country_iso3,country", top: "15", stats: "events,fatalities_best_sum" });
    const pe = params({ by: "event_type", stats: "events,fatalities_best_sum" });
    const [countries, types] = await Promise.all([api("stats", pc), api("stats", pe)]);
    if (gen !== generation) return;
    const bar = (rows, y, id, fill) => Plot.plot({
      width: width(id), height: Math.max(120, 26 * rows.length + 40), marginRight: 60,
      marginLeft: Math.min(260, 16 + 6.5 * (d3.max(rows, (d) => String(d[y]).length) || 4)),
      x: { grid: true, label: "events" }, y: { label: null, domain: rows.map((d) => d[y]) },
      marks: [
        Plot.barX(rows, { x: "events", y, fill, title: (d) => d[y] + ": " + fmt.format(d.events) + " events, " + fmt.format(d.fatalities_best_sum) + " fatalities" }),
        Plot.text(rows, { x: "events", y, text: (d) => fmt.format(d.events), dx: 4, textAnchor: "start" }),
        Plot.ruleX([0]),
      ],
    });
    const cs = countries.data.map((d) => ({ ...d, name: d.country_iso3 + " " + d.country }));
    place("chart-countries", bar(cs, "name", "chart-countries", okabeIto[0]), pc.toString());
    const ts = types.data.map((d) => ({ ...d, name: eventLabels[d.event_type] || d.event_type })).sort((a, b) => b.events - a.events);
    place("chart-event-types", bar(ts, "name", "chart-event-types", okabeIto[2]), pe.toString());
  }

  const mapLimit = 5000;

  async function drawMap(gen) {
    const p = params({ columns: "incident_id,date_start,country,location,latitude,longitude,fatalities_best,event_type", limit: String(mapLimit) });
    p.append("where", "latitude>=-90");
    const { data, rows, more } = await api("incidents", p);
    if (gen !== generation) return;
    const pts = data.filter((d) => d.longitude != null && d.latitude != null);
    const note = $("chart-map").querySelector(".note");
    note.textContent = fmt.format(pts.length) + " incidents" + (more ? " (the first " + fmt.format(rows) + " that match; narrow the filters to see the rest)" : "");
    const lon = d3.extent(pts, (d) => d.longitude), lat = d3.extent(pts, (d) => d.latitude);
    const domain = pts.length ? { type: "MultiPoint", coordinates: [[lon[0] - 2, lat[0] - 2], [lon[1] + 2, lat[1] + 2]] } : { type: "Sphere" };
    const marks = [Plot.sphere({ stroke: "#bbb" }), Plot.graticule({ stroke: "#eee" })];
    if (window.__world) marks.push(Plot.geo(window.__world, { fill: "#f1f1ee", stroke: "#999", strokeWidth: 0.6 }));
    marks.push(Plot.dot(pts, {
      x: "longitude", y: "latitude", r: (d) => Math.sqrt(d.fatalities_best || 0), fill: (d) => eventLabels[d.event_type] || d.event_type,
      fillOpacity: 0.6, stroke: "white", strokeWidth: 0.3,
      title: (d) => d.date_start + " " + (d.location || "") + ", " + d.country + ": " + (d.fatalities_best == null ? "unknown" : fmt.format(d.fatalities_best)) + " killed",
    }));
    place("chart-map", Plot.plot({
      width: width("chart-map"), height: 420,
      projection: { type: "equirectangular", domain, inset: 10 },
      r: { range: [1.5, 14] },
      color: { legend: true, range: okabeIto },
      marks,
    }), p.toString());
  }

  function drawLinks() {
    const links = [
      ["statistics per country and year (CSV)", "api/stats?" + params({ by: "country_iso3,year", format: "csv" })],
      ["counts per " + $("f-period").value + " (CSV)", "api/series?" + params({ period: $("f-period").value, format: "csv" })],
      ["the first 10,000 incidents (CSV)", "api/incidents?" + params({ limit: "10000", format: "csv" })],
      ["the same as Parquet", "api/incidents?" + params({ limit: "10000", format: "parquet" })],
    ];
    $("links").replaceChildren(...links.map(([text, href]) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      li.append(a);
      return li;
    }));
  }

  async function redraw() {
    const gen = ++generation;
    for (const fig of document.querySelectorAll("figure.chart, #headline")) fig.dataset.state = "loading";
    $("error").hidden = true;
    state.query = params().toString();
    drawLinks();
    const parts = [drawHeadline(gen), drawSeries(gen), drawBars(gen), drawMap(gen)];
    const results = await Promise.allSettled(parts);
    for (const r of results) {
      if (r.status === "rejected") showError(String(r.reason && r.reason.message || r.reason));
    }
    if (gen === generation) {
      state.renders++;
      document.body.dataset.renders = String(state.renders);
      document.body.dataset.query = state.query;
    }
  }

  // loadWorld reads the country outlines (world-atlas's TopoJSON, served
  // from this binary) for the map; without them the map keeps its graticule.
  async function loadWorld() {
    try {
      const topo = await (await fetch("assets/world/countries-110m.json")).json();
      window.__world = topojson.feature(topo, topo.objects.countries);
    } catch (e) {
      showError("cannot read the world's outlines: " + e.message);
    }
  }

  async function init() {
    await loadWorld();
    try {
      const schema = await (await fetch("api/schema")).json();
      for (const t of schema.event_types) eventLabels[t.value] = t.label;
      $("datasets").textContent = schema.datasets.map((d) => d.name).join(", ");
      document.title = "incidents: " + $("datasets").textContent;
      const [countries, types, span] = await Promise.all([
        api("stats", new URLSearchParams({ by: "country_iso3,country", stats: "events" })),
        api("stats", new URLSearchParams({ by: "event_type", stats: "events" })),
        api("stats", new URLSearchParams({ period: "day", stats: "first_period,last_period" })),
      ]);
      const sel = $("f-country");
      for (const c of countries.data.sort((a, b) => b.events - a.events)) {
        sel.append(new Option(c.country_iso3 + " " + c.country + " (" + fmt.format(c.events) + ")", c.country_iso3));
      }
      const et = $("f-event-type");
      for (const t of types.data.sort((a, b) => b.events - a.events)) {
        et.append(new Option((eventLabels[t.event_type] || t.event_type) + " (" + fmt.format(t.events) + ")", t.event_type));
      }
      const s = span.data[0] || {};
      for (const id of ["f-from", "f-to"]) {
        if (s.first_period) $(id).min = s.first_period;
        if (s.last_period) $(id).max = s.last_period;
      }
    } catch (e) {
      showError("cannot read the server's schema and filters: " + e.message);
    }
    for (const id of ["f-country", "f-from", "f-to", "f-event-type", "f-period"]) {
      $(id).addEventListener("change", redraw);
    }
    $("f-reset").addEventListener("click", () => {
      $("filters").reset();
      redraw();
    });
    await redraw();
  }

  init();
})();
