// Statecraft's page, the results: each run opens a tab that stays until it is closed, and
// what each kind of run shows in its tab (a forecast with its bottom line and risk, a
// Monte Carlo study, counterfactuals).
"use strict";

let tabCount = 0;

function openTab(title, kind) {
  // A new tab, made the one shown; its pane is where the run's results go.
  tabCount += 1;
  const tab = element("button", null, "tab");
  tab.setAttribute("role", "tab");
  tab.dataset.tab = String(tabCount);
  const name = element("span", title, "tab-title");
  const close = element("span", "×", "close");
  close.title = "close this tab";
  tab.append(name, " ", close);
  const pane = element("div", null, "pane");
  pane.dataset.tab = String(tabCount);
  pane.dataset.kind = kind || "";
  pane.setAttribute("role", "tabpanel");
  tab.addEventListener("click", (e) => {
    if (e.target === close) closeTab(pane);
    else showTab(pane);
  });
  $("tabs").append(tab);
  $("panes").append(pane);
  showTab(pane);
  return pane;
}

function tabOf(pane) {
  return document.querySelector(`#tabs .tab[data-tab="${pane.dataset.tab}"]`);
}

function showTab(pane) {
  for (const p of document.querySelectorAll("#panes .pane")) p.hidden = p !== pane;
  for (const t of document.querySelectorAll("#tabs .tab")) {
    t.classList.toggle("active", t.dataset.tab === pane.dataset.tab);
    t.setAttribute("aria-selected", String(t.dataset.tab === pane.dataset.tab));
  }
}

function closeTab(pane) {
  const tab = tabOf(pane);
  const shown = !pane.hidden;
  tab.remove();
  pane.remove();
  const rest = document.querySelectorAll("#panes .pane");
  if (shown && rest.length) showTab(rest[rest.length - 1]);
}

function renameTab(pane, title) {
  tabOf(pane).querySelector(".tab-title").textContent = title;
}

function shownPane() {
  return document.querySelector("#panes .pane:not([hidden])");
}

function heading(pane, text) {
  const h = element("h2", text);
  pane.append(h);
  return h;
}

function bars(ranking) {
  // Gains as bars, a hover title for each, and a tick box per actor to hide it.
  const wrap = document.createElement("div");
  const ticks = document.createElement("div");
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.classList.add("bars");
  const hidden = new Set();
  const draw = () => {
    svg.replaceChildren();
    const shown = ranking.filter((g) => !hidden.has(g.actor));
    const top = Math.max(1e-9, ...shown.map((g) => Math.abs(g.gain)));
    svg.setAttribute("width", 520);
    svg.setAttribute("height", 22 * shown.length + 10);
    shown.forEach((g, k) => {
      const y = 5 + 22 * k;
      const w = (200 * Math.abs(g.gain)) / top;
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", g.gain >= 0 ? 300 : 300 - w);
      rect.setAttribute("y", y);
      rect.setAttribute("width", w);
      rect.setAttribute("height", 16);
      if (g.gain < 0) rect.classList.add("neg");
      const title = document.createElementNS(ns, "title");
      title.textContent = `${g.name || g.actor}: ${g.gain.toFixed(3)}`;
      rect.append(title);
      const text = document.createElementNS(ns, "text");
      text.setAttribute("x", 0);
      text.setAttribute("y", y + 12);
      text.textContent = g.name || g.actor;
      svg.append(rect, text);
    });
  };
  for (const g of ranking) {
    const label = document.createElement("label");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.checked = true;
    tick.addEventListener("change", () => {
      if (tick.checked) hidden.delete(g.actor);
      else hidden.add(g.actor);
      draw();
    });
    label.append(tick, " " + (g.name || g.actor) + " ");
    ticks.append(label);
  }
  draw();
  wrap.append(ticks, svg);
  return wrap;
}

async function showForecast(pane, f, runId, met) {
  heading(pane, "Forecast");
  const models = f.models.map((m) => m.name);
  const rows = Object.entries(f.issues).map(([id, item]) => [
    item.label || id, item.status_quo, ...models.map((m) => item.forecast[m]), item.actual,
  ]);
  const headline = element("p", `Forecast (${f.primary_model}): ${f.headline}` + (runId ? ` (run ${runId})` : ""),
    "forecast-line");
  const t = table(["Issue", "Status quo", ...models, "Actual"], rows);
  t.className = "forecast";
  pane.append(t, headline);
  if (f.winners && f.winners.length) pane.append(bars(f.winners));
  else pane.append(element("p", "No winners: they are measured from the status quo, which no issue has.", "hint"));
  // The registry's charts of a forecast that its models' details allow (met), as in the report.
  if (met) {
    const issues = Object.entries(f.issues).map(([id, item]) => ({ id, label: item.label }));
    await autoCharts(pane, "forecast", { models, options: options() }, met, issues);
  }
}

function showBrief(pane, b) {
  // The bottom line (statecraft brief), first in the results: who wins with what probability
  // over the draws and the models, the flags, and each issue's forecast with its interval.
  const box = document.createElement("div");
  box.className = "bottom-line";
  const h = document.createElement("h2");
  h.textContent = "Bottom line";
  box.append(h);
  const lead = b.winners[0];
  if (lead) {
    const p = document.createElement("p");
    p.className = "headline";
    let text = `Most often the biggest winner: ${lead.name}, in ${percent(lead.p_biggest)} of ` +
      `${b.draws.toLocaleString()} draws over ${b.models.length} ` +
      (b.models.length === 1 ? "model" : "models");
    if (b.actual_winners && b.actual_winners.length) {
      const a = b.actual_winners[0];
      text += `; against the actual outcome: ${a.name} (${percent(a.p_biggest)})`;
    }
    p.textContent = text + ".";
    box.append(p);
  }
  if (b.flags.length) {
    const ul = document.createElement("ul");
    ul.className = "flags";
    for (const f of b.flags) {
      const li = document.createElement("li");
      const kind = document.createElement("b");
      kind.textContent = f.kind.replaceAll("_", " ") + ": ";
      li.append(kind, f.message);
      ul.append(li);
    }
    box.append(ul);
  }
  const actual = Object.fromEntries((b.actual_winners || []).map((a) => [a.actor, a]));
  const hasActual = Boolean(b.actual_winners && b.actual_winners.length);
  const rows = b.winners.map((w) => [
    w.name, percent(w.p_biggest), percent(w.p_gain),
    `${signed(w.median)} (${signed(w.interval80[0])} to ${signed(w.interval80[1])})`,
    ...b.models.map((m) => (w.by_model[m] ? percent(w.by_model[m].p_biggest) : "–")),
    ...(hasActual ? [actual[w.actor] ? percent(actual[w.actor].p_biggest) : "–"] : []),
  ]);
  box.append(table(
    ["Actor", "P(biggest winner)", "P(gain)", "Gain: median (80%)", ...b.models,
      ...(hasActual ? ["Actual"] : [])],
    rows,
  ));
  const issues = Object.entries(b.issues).map(([id, i]) => [
    i.label || id, i.status_quo, i.forecast, i.interval80[0], i.interval80[1],
    i.inputs80[0], i.inputs80[1], i.spread, i.actual,
  ]);
  box.append(table(["Issue", "Status quo", "Forecast", "10%", "90%", "10% (inputs alone)",
    "90% (inputs alone)", "Models' spread", "Actual"], issues));
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = "10% and 90%: the uncertain inputs and the models' own errors on real " +
    "decisions (docs/calibration.md); inputs alone: without the models' errors.";
  box.append(note);
  pane.prepend(box);
}

function showRisk(pane, r) {
  // Will the settlement hold? (statecraft risk, docs/risk.md), at the top of the results
  // when the scenario has a status quo: the riskiest dyads, the pressure on each issue, and
  // what the riskiest dyad's settlement rests on.
  const box = document.createElement("div");
  box.className = "will-it-hold";
  const h = document.createElement("h2");
  h.textContent = "Will it hold?";
  box.append(h);
  const fixed = (x) => (x === null || x === undefined ? "–" : x.toFixed(3));
  const plus = (x) => (x === null || x === undefined ? "–" : (x >= 0 ? "+" : "") + x.toFixed(3));
  const top = r.dyads[0];
  if (top) {
    const p = document.createElement("p");
    p.className = "headline";
    let text = `Riskiest dyad: ${top.a} – ${top.b}, risk index ${fixed(top.risk)} ` +
      `(80% interval ${fixed(top.interval80[0])} to ${fixed(top.interval80[1])})`;
    if (r.rests_on.length) text += `; its settlement rests on ${r.rests_on.join(", ")}`;
    p.textContent = text + ".";
    box.append(p);
  }
  box.append(table(["Dyad", "Risk", "10%", "90%"], r.dyads.slice(0, 8).map((d) => [
    `${d.a} – ${d.b}`, fixed(d.risk), fixed(d.interval80[0]), fixed(d.interval80[1]),
  ])));
  box.append(table(["Issue of the settlement", "Pressure", "10%", "90%", "Most from"],
    r.issues.map((i) => [i.issue, fixed(i.pressure), fixed(i.interval80[0]),
      fixed(i.interval80[1]), i.leader || "nobody"])));
  box.append(table([`If this actor withdrew: rise in the ${r.focus[0]} – ${r.focus[1]} risk`,
    "Median", "10%", "90%"], r.guarantors.map((g) => [g.actor, plus(g.effect),
    plus(g.interval80[0]), plus(g.interval80[1])])));
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = "Risk index in [0, 1]: the chance that, on some issue, one side " +
    "challenges the settlement (the status quo) and the other resists; an index, not a " +
    "calibrated probability of war (docs/risk.md).";
  box.append(note);
  pane.prepend(box);
}

function showStudy(pane, result, runId) {
  // Each model of the study, on the same draws: each issue's forecast with its spread.
  heading(pane, `Monte Carlo: ${result.draws.toLocaleString()} draws (${result.models.join(", ")})` +
    (runId ? ` (run ${runId})` : ""));
  for (const model of result.models) {
    const rows = Object.entries(result.by_model[model]).map(([issue, r]) => [
      issue, r.mean, r.median, r.interval80[0], r.interval80[1], r.actual,
    ]);
    pane.append(element("h3", model));
    const t = table(["Issue", "Mean", "Median", "10%", "90%", "Actual"], rows);
    t.dataset.model = model;
    t.className = "study";
    pane.append(t);
  }
}

function showComparison(pane, model, c, runId) {
  // One model's counterfactuals: each issue's forecast and change, and with draws each
  // scenario's most likely biggest winner.
  pane.append(element("h3", `${model}` + (runId ? ` (run ${runId})` : "")));
  const rows = c.forecasts.map((r) => [r.scenario, r.issue, r.forecast, r.difference]);
  const t = table(["Scenario", "Issue", "Forecast", "Change"], rows);
  t.dataset.model = model;
  t.className = "comparison";
  pane.append(t);
  if (c.verdicts && c.verdicts.by_scenario) {
    const lines = Object.entries(c.verdicts.by_scenario).map(([name, ranked]) => {
      const top = ranked[0] || {};
      return [name, top.name || top.actor, percent(top.p_biggest)];
    });
    const v = table([`Most often the biggest winner (${c.verdicts.draws.toLocaleString()} draws)`,
      "Actor", "P(biggest winner)"], lines);
    v.className = "verdicts";
    pane.append(v);
  }
}
