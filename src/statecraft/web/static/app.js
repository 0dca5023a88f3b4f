// Statecraft's page: every action goes through the JSON API under /api/.
"use strict";

const state = {
  ref: null, // the scenario's id on the server (or a built-in's name)
  data: null, // the scenario as data, being edited
  dirty: false, // edited since the server last saw it
  history: [], // snapshots for undo
  token: null,
  builtins: [],
  study: null,
  charts: [], // the chart registry (GET /api/charts)
  defaultModel: null, // the model run when none is ticked (GET /api/models)
};
const $ = (id) => document.getElementById(id);

function say(text) {
  $("status").textContent = text;
}

async function api(method, path, body, raw) {
  const headers = {};
  if (state.token) headers.Authorization = "Bearer " + state.token;
  let payload;
  if (raw !== undefined) {
    // The file as it is, in any format: a type a page elsewhere cannot send unasked.
    headers["Content-Type"] = "application/octet-stream";
    payload = raw;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const answer = await fetch(path, { method, headers, body: payload });
  if (answer.status === 401 && !state.asked) {
    state.asked = true;
    state.token = window.prompt("This server needs its token");
    state.asked = false;
    if (state.token) return api(method, path, body, raw);
  }
  const type = answer.headers.get("content-type") || "";
  const out = type.includes("json") ? await answer.json() : await answer.text();
  if (!answer.ok) {
    const error = new Error((out && out.error) || String(out));
    error.detail = out;
    throw error;
  }
  return out;
}

// --- numbers that may carry a source, a note or a range -------------------------------------

const value = (q) => (q !== null && typeof q === "object" ? q.value : q);

function setValue(holder, key, number) {
  const q = holder[key];
  if (q === null || typeof q !== "object") {
    holder[key] = number;
    return;
  }
  q.value = number;
  // A new value outside the old range replaces the judgement that range stood for.
  if (typeof number === "number" && q.low != null && q.high != null && (number < q.low || number > q.high)) {
    delete q.low;
    delete q.high;
    delete q.dist;
    say(`the range of ${key} was dropped: ${number} lies outside it`);
  }
}

function snapshot() {
  state.history.push(JSON.stringify(state.data));
  if (state.history.length > 200) state.history.shift();
  $("undo").disabled = false;
}

// --- the grid: actors by issues ---------------------------------------------------------------

function input(path, current, cls) {
  // path: the keys from the scenario's root to this number, e.g. ["actors", 4, "capability"]
  const box = document.createElement("input");
  box.value = current === undefined || current === null ? "" : current;
  box.dataset.path = JSON.stringify(path);
  if (cls) box.className = cls;
  box.addEventListener("change", () => edit(path, box.value));
  return box;
}

function button(text, title, action) {
  const b = document.createElement("button");
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", action);
  return b;
}

function render() {
  const d = state.data;
  const grid = $("grid");
  grid.replaceChildren();
  if (!d) return;
  $("title").textContent = d.title || d.name || "–";
  const issues = Array.isArray(d.issues) ? d.issues : [];
  const actors = Array.isArray(d.actors) ? d.actors : [];
  const head = grid.insertRow();
  for (const text of ["Actor", "Name", "Capability"]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  issues.forEach((issue, k) => {
    const th = document.createElement("th");
    const scale = issue.scale || {};
    th.append(input(["issues", k, "label"], issue.label, "name"));
    th.append(document.createElement("br"));
    th.append(input(["issues", k, "scale", "low"], scale.low ?? 0));
    th.append(" – ");
    th.append(input(["issues", k, "scale", "high"], scale.high ?? 100));
    th.append(button("×", `remove the issue ${issue.id}`, () => removeIssue(k)));
    th.append(document.createElement("br"));
    const lowMeans = input(["issues", k, "scale", "low_meaning"], scale.low_meaning, "name");
    lowMeans.placeholder = "low end means";
    const highMeans = input(["issues", k, "scale", "high_meaning"], scale.high_meaning, "name");
    highMeans.placeholder = "high end means";
    th.append(lowMeans, document.createElement("br"), highMeans);
    const hint = document.createElement("div");
    hint.className = "hint";
    hint.textContent = "position / salience";
    th.append(hint);
    head.append(th);
  });
  actors.forEach((actor, i) => {
    const row = grid.insertRow();
    row.insertCell().textContent = actor.id;
    row.insertCell().append(input(["actors", i, "name"], actor.name, "name"));
    row.insertCell().append(input(["actors", i, "capability"], value(actor.capability)));
    for (const issue of issues) {
      const cell = row.insertCell();
      const stance = (actor.stances || {})[issue.id];
      if (stance) {
        const pair = document.createElement("div");
        pair.className = "cell";
        pair.append(input(["actors", i, "stances", issue.id, "position"], value(stance.position)));
        pair.append(input(["actors", i, "stances", issue.id, "salience"], value(stance.salience)));
        cell.append(pair);
      } else {
        cell.append(button("+", `give ${actor.id} a position on ${issue.id}`, () => addStance(i, issue)));
      }
    }
    row.insertCell().append(button("×", `remove ${actor.id}`, () => removeActor(i)));
  });
  chartChoices(issues, actors);
}

async function downloadYaml(event) {
  // The scenario as it stands on screen (edits sent first), through the API (with the token).
  event.preventDefault();
  if (!(await sync())) return;
  const text = await api("GET", `/api/scenarios/${encodeURIComponent(state.ref)}/download?format=yaml`);
  save(text, `${state.data.name}.yaml`, "application/yaml");
}

function save(text, name, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
}

function parsed(text) {
  const n = Number(text);
  return text.trim() === "" || Number.isNaN(n) ? text : n;
}

function edit(keys, text) {
  snapshot();
  let holder = state.data;
  for (const key of keys.slice(0, -1)) holder = holder[key] ?? (holder[key] = {});
  const last = keys[keys.length - 1];
  if (["label", "name", "low_meaning", "high_meaning"].includes(last)) {
    if (text.trim() === "" && last !== "label") delete holder[last];
    else holder[last] = text;
  }
  else setValue(holder, last, parsed(text));
  state.dirty = true;
  validate();
}

function undo() {
  if (!state.history.length) return;
  state.data = JSON.parse(state.history.pop());
  state.dirty = true;
  $("undo").disabled = !state.history.length;
  render();
  validate();
}

function mutate(change) {
  // Every structural edit: keep a snapshot for undo, change, redraw, check.
  snapshot();
  change();
  state.dirty = true;
  render();
  validate();
}

function addStance(i, issue) {
  mutate(() => {
    const scale = issue.scale || {};
    const middle = (Number(scale.low ?? 0) + Number(scale.high ?? 100)) / 2;
    state.data.actors[i].stances = state.data.actors[i].stances || {};
    state.data.actors[i].stances[issue.id] = { position: middle, salience: 0.5 };
  });
}

function removeActor(i) {
  mutate(() => state.data.actors.splice(i, 1));
}

function removeIssue(k) {
  mutate(() => {
    const [gone] = state.data.issues.splice(k, 1);
    for (const actor of state.data.actors) delete (actor.stances || {})[gone.id];
  });
}

function addActor() {
  const id = window.prompt("The new actor's id (letters, digits, - _ .)");
  if (!id) return;
  mutate(() => {
    const stances = {};
    for (const issue of state.data.issues) {
      const scale = issue.scale || {};
      stances[issue.id] = { position: (Number(scale.low ?? 0) + Number(scale.high ?? 100)) / 2, salience: 0.5 };
    }
    state.data.actors.push({ id, capability: 1, stances });
  });
}

function addIssue() {
  const id = window.prompt("The new issue's id (letters, digits, - _ .)");
  if (!id) return;
  mutate(() => {
    state.data.issues.push({ id, label: id, scale: { low: 0, high: 100 } });
    for (const actor of state.data.actors) {
      actor.stances = actor.stances || {};
      actor.stances[id] = { position: 50, salience: 0.5 };
    }
  });
}

// --- problems, shown at the cell ---------------------------------------------------------------

function showProblem(detail) {
  for (const el of document.querySelectorAll(".bad")) el.classList.remove("bad");
  const box = $("problem");
  if (!detail) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.textContent = "error: " + detail.error;
  if (detail.path) {
    // The input whose path is the problem's, or the nearest one above or below it.
    const want = detail.path.filter((p) => p !== "value");
    const inputs = [...document.querySelectorAll("[data-path]")].map((el) => [el, JSON.parse(el.dataset.path)]);
    const same = (a, b, n) => a.slice(0, n).every((x, k) => String(x) === String(b[k]));
    let target = null;
    for (let cut = want.length; cut > 0 && !target; cut--) {
      const hit = inputs.find(([, p]) => p.length >= cut && same(p, want, cut));
      if (hit) target = hit[0];
    }
    if (target) {
      target.classList.add("bad");
      target.title = detail.error;
    }
  }
}

let pending = null;
function validate() {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    try {
      await api("POST", "/api/validate", state.data);
      showProblem(null);
    } catch (e) {
      showProblem(e.detail && e.detail.error ? e.detail : { error: e.message });
    }
  }, 150);
}

async function sync() {
  // The server runs what it has: send the edits first.
  if (!state.dirty && state.ref) return true;
  try {
    const answer = state.ref
      ? await api("PUT", `/api/scenarios/${encodeURIComponent(state.ref)}`, state.data)
      : await api("POST", `/api/scenarios?name=${encodeURIComponent((state.data.name || "fixed") + ".json")}`,
        undefined, JSON.stringify(state.data));
    if (answer.id !== state.ref) {
      state.ref = answer.id;
      await loadList(state.ref);
    }
    state.dirty = false;
    showProblem(null);
    return true;
  } catch (e) {
    showProblem(e.detail && e.detail.error ? e.detail : { error: e.message });
    return false;
  }
}

// --- scenarios --------------------------------------------------------------------------------

async function loadList(selected) {
  const list = await api("GET", "/api/scenarios");
  state.builtins = list.builtin;
  const pick = $("pick");
  pick.replaceChildren();
  for (const s of list.builtin) pick.add(new Option(`${s.name} (built-in)`, s.id));
  for (const s of list.uploaded) pick.add(new Option(`${s.name} (${s.id})`, s.id));
  if (selected) pick.value = selected;
}

async function open(ref) {
  const answer = await api("GET", `/api/scenarios/${encodeURIComponent(ref)}`);
  state.ref = ref;
  state.data = answer.scenario;
  state.history = [];
  state.dirty = false;
  $("undo").disabled = true;
  showProblem(null);
  render();
  showPatches();
  say(`${state.data.name}: ${state.data.actors.length} actors, ${state.data.issues.length} issues`);
}

function showPatches() {
  const box = $("patches");
  box.replaceChildren();
  const legend = document.createElement("legend");
  legend.textContent = "Counterfactual patches";
  box.append(legend);
  const builtin = state.builtins.find((s) => s.id === state.ref || s.name === (state.data || {}).name);
  const patches = builtin ? builtin.patches : [];
  box.hidden = !patches.length;
  $("compare").hidden = !patches.length;
  for (const p of patches) {
    const label = document.createElement("label");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.className = "patch";
    tick.value = p;
    label.append(tick, " " + p + " ");
    box.append(label);
  }
  // One control stacks the ticked patches into one counterfactual (a+b, in the order shown).
  const label = document.createElement("label");
  const stack = document.createElement("input");
  stack.type = "checkbox";
  stack.id = "stack";
  label.append(stack, " stack the ticked patches into one counterfactual");
  label.title = "a+b: the patches apply in turn, the later over the earlier";
  box.append(document.createElement("br"), label);
}

async function upload(file) {
  const bytes = await file.arrayBuffer();
  try {
    const answer = await api("POST", `/api/scenarios?name=${encodeURIComponent(file.name)}`, undefined, bytes);
    await loadList(answer.id);
    await open(answer.id);
  } catch (e) {
    const detail = e.detail && e.detail.error ? e.detail : { error: e.message };
    if (detail.data) {
      // The file parsed but does not hold: show it, with the problem at its cell, to fix.
      state.ref = null;
      state.data = detail.data;
      state.history = [];
      state.dirty = true;
      render();
      showPatches();
      say(`${file.name} does not hold: fix it here, then run`);
    } else {
      say(`${file.name}: not read`);
    }
    showProblem(detail);
  }
}

async function newScenario() {
  const data = {
    name: "new-scenario",
    issues: [{ id: "issue", label: "The issue", scale: { low: 0, high: 100 } }],
    actors: [
      { id: "a", capability: 1, stances: { issue: { position: 20, salience: 0.5 } } },
      { id: "b", capability: 1, stances: { issue: { position: 80, salience: 0.5 } } },
    ],
  };
  const answer = await api("POST", "/api/scenarios?name=new.json", undefined, JSON.stringify(data));
  await loadList(answer.id);
  await open(answer.id);
}

// --- running --------------------------------------------------------------------------------

function chosenModels() {
  return [...document.querySelectorAll("#models input:checked")].map((b) => b.value);
}

function table(head, rows) {
  const t = document.createElement("table");
  const h = t.insertRow();
  for (const text of head) {
    const th = document.createElement("th");
    th.textContent = text;
    h.append(th);
  }
  for (const row of rows) {
    const r = t.insertRow();
    for (const cell of row) {
      const td = r.insertCell();
      td.textContent = typeof cell === "number" ? cell.toFixed(1) : cell ?? "–";
      if (typeof cell === "number") td.className = "num";
    }
  }
  return t;
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

async function showForecast(f, runId, met) {
  const out = $("results");
  out.replaceChildren();
  const h = document.createElement("h2");
  h.textContent = "Forecast";
  const models = f.models.map((m) => m.name);
  const rows = Object.entries(f.issues).map(([id, item]) => [
    item.label || id, item.status_quo, ...models.map((m) => item.forecast[m]), item.actual,
  ]);
  const headline = document.createElement("p");
  headline.textContent = `Forecast (${f.primary_model}): ${f.headline}` + (runId ? ` (run ${runId})` : "");
  headline.id = "headline";
  out.append(h, table(["Issue", "Status quo", ...models, "Actual"], rows), headline);
  if (f.winners && f.winners.length) out.append(bars(f.winners));
  // The registry's charts of a forecast that its models' details allow (met), as in the report.
  const issues = Object.entries(f.issues).map(([id, item]) => ({ id, label: item.label }));
  await autoCharts("forecast", { models, options: options() }, met, issues);
}

function percent(p) {
  if (!(p > 0)) return "0%";
  return p < 0.005 ? "<1%" : `${Math.round(p * 100)}%`;
}

function signed(x) {
  return x === null || x === undefined ? "–" : (x >= 0 ? "+" : "") + x.toFixed(2);
}

function showBrief(b) {
  // The bottom line (statecraft brief), first in the results: who wins with what probability
  // over the draws and the models, the flags, and each issue's forecast with its interval.
  const box = document.createElement("div");
  box.id = "bottom-line";
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
  $("results").prepend(box);
}

function showRisk(r) {
  // Will the settlement hold? (statecraft risk, docs/risk.md), at the top of the results
  // when the scenario has a status quo: the riskiest dyads, the pressure on each issue, and
  // what the riskiest dyad's settlement rests on.
  const box = document.createElement("div");
  box.id = "will-it-hold";
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
  $("results").prepend(box);
}

async function runForecast() {
  if (!(await sync())) return;
  say("forecasting…");
  try {
    const models = chosenModels().length ? chosenModels() : null;
    const answer = await api("POST", "/api/forecast", {
      scenario: state.ref, models, options: options(),
    });
    await showForecast(answer.forecast, answer.run_id, answer.charts);
    say("the bottom line: drawing…");
    const bottom = await api("POST", "/api/brief", {
      scenario: state.ref, models, options: options(),
      draws: Math.min(Number($("draws").value) || 2000, 20000), seed: Number($("seed").value),
    });
    showBrief(bottom.brief);
    const settled = Object.values(bottom.brief.issues).some(
      (i) => i.status_quo !== null && i.status_quo !== undefined);
    if (settled) {
      say("will it hold? weighing the risk…");
      const weighed = await api("POST", "/api/risk", {
        scenario: state.ref,
        draws: Math.min(Number($("draws").value) || 2000, 20000), seed: Number($("seed").value),
      });
      showRisk(weighed.risk);
    }
    state.last = { draws: 0 };
    say("done");
    loadRuns();
  } catch (e) {
    say("error: " + e.message);
  }
}

async function runStudy() {
  if (!(await sync())) return;
  const model = chosenModels()[0] || state.defaultModel;
  try {
    const started = await api("POST", "/api/studies", {
      scenario: state.ref, model, draws: Number($("draws").value), seed: Number($("seed").value),
      options: options(),
    });
    state.study = started.id;
    $("progress").hidden = false;
    $("progress").max = started.total;
    $("progress").value = 0;
    $("cancel").hidden = false;
    say(`Monte Carlo with ${model}…`);
    poll(started.id, model);
  } catch (e) {
    say("error: " + e.message);
  }
}

async function poll(id, model) {
  let s;
  try {
    s = await api("GET", `/api/studies/${id}`);
  } catch (e) {
    $("cancel").hidden = true;
    say("the study was lost: " + e.message);
    return;
  }
  $("progress").value = s.done;
  if (s.status === "running" || s.status === "recording") {
    setTimeout(() => poll(id, model), 200);
    return;
  }
  $("cancel").hidden = true;
  state.study = null;
  say(`Monte Carlo ${s.status}` + (s.error ? ": " + s.error : ""));
  if (s.status !== "done") return;
  state.last = { draws: Math.min(s.result.draws, 20000), seed: Number($("seed").value) };
  const out = $("results");
  out.replaceChildren();
  const h = document.createElement("h2");
  h.textContent = `Monte Carlo: ${s.result.draws.toLocaleString()} draws (${model})`;
  const rows = Object.entries(s.result.by_model[model]).map(([issue, r]) => [
    issue, r.mean, r.median, r.interval80[0], r.interval80[1], r.actual,
  ]);
  out.append(h, table(["Issue", "Mean", "Median", "10%", "90%", "Actual"], rows));
  autoCharts("simulation", { model, draws: state.last.draws, seed: state.last.seed, options: options() });
  loadRuns();
}

async function cancelStudy() {
  if (!state.study) return;
  try {
    await api("DELETE", `/api/studies/${state.study}`);
  } catch (e) {
    say(e.message); // finished meanwhile: too late to cancel
  }
}

async function runCompare() {
  if (!(await sync())) return;
  const patches = tickedPatches();
  if (!patches.length) {
    say("tick a patch to compare");
    return;
  }
  const model = chosenModels()[0] || state.defaultModel;
  try {
    const answer = await api("POST", "/api/compare", { scenario: state.ref, patches, model });
    const out = $("results");
    out.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = `Counterfactuals (${model})`;
    const rows = answer.comparison.forecasts.map((r) => [r.scenario, r.issue, r.forecast, r.difference]);
    out.append(h, table(["Scenario", "Issue", "Forecast", "Change"], rows));
    autoCharts("comparison", { patches, model });
    loadRuns();
  } catch (e) {
    say("error: " + e.message);
  }
}

async function downloadReport() {
  if (!(await sync())) return;
  say("writing the report…");
  const patches = tickedPatches();
  try {
    // What is on screen: the model of the last run, its draws when it was a study.
    const last = state.last || {};
    const html = await api("POST", "/api/report", {
      scenario: state.ref, patches, model: chosenModels()[0] || state.defaultModel,
      draws: last.draws || 0, seed: last.seed || 0,
    });
    save(html, `${state.data.name}-report.html`, "text/html");
    say("report written");
  } catch (e) {
    say("error: " + e.message);
  }
}

async function loadRuns() {
  try {
    const runs = await api("GET", "/api/runs?limit=20");
    const t = $("runs");
    t.replaceChildren(...table(
      ["Run", "Time (UTC)", "Command", "Scenario", "Models"],
      runs.map((r) => [r.id, r.created.slice(0, 19).replace("T", " "), r.command, r.scenario, r.models]),
    ).childNodes);
  } catch (e) {
    $("runs").textContent = "no runs: " + e.message;
  }
}

async function start() {
  const models = await api("GET", "/api/models");
  state.defaultModel = (models.find((m) => m.default) || models[0]).name;
  const box = $("models");
  for (const m of models) {
    const label = document.createElement("label");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.value = m.name;
    tick.checked = m.default;
    label.title = m.citation;
    label.append(tick, " " + m.name + " ");
    box.append(label);
  }
  optionForms(models);
  state.charts = await api("GET", "/api/charts");
  for (const chart of state.charts) {
    $("chart-kind").add(new Option(chart.kind, chart.kind));
  }
  showChartInputs();
  await loadList("karabakh-2020");
  await open($("pick").value);
  loadRuns();
  $("pick").addEventListener("change", () => open($("pick").value));
  $("upload").addEventListener("change", (e) => e.target.files[0] && upload(e.target.files[0]));
  $("new").addEventListener("click", newScenario);
  $("undo").addEventListener("click", undo);
  $("add-actor").addEventListener("click", addActor);
  $("add-issue").addEventListener("click", addIssue);
  $("forecast").addEventListener("click", runForecast);
  $("study").addEventListener("click", runStudy);
  $("cancel").addEventListener("click", cancelStudy);
  $("compare").addEventListener("click", runCompare);
  $("report").addEventListener("click", downloadReport);
  $("refresh-runs").addEventListener("click", loadRuns);
  $("download").addEventListener("click", downloadYaml);
  $("chart-kind").addEventListener("change", showChartInputs);
  $("draw").addEventListener("click", drawChart);
}

start().catch((e) => say("error: " + e.message));
