// Statecraft's page, its scenarios (pick, upload, new, download) and its start. Loaded
// last: core.js, editor.js, details.js, results.js, runs.js, levers.js, charts.js and
// options.js define what it calls.
"use strict";

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
  state.focus = null;
  state.actor = null;
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


async function downloadYaml(event) {
  // The scenario as it stands on screen (edits sent first), through the API (with the token).
  event.preventDefault();
  if (!(await sync())) return;
  const text = await api("GET", `/api/scenarios/${encodeURIComponent(state.ref)}/download?format=yaml`);
  save(text, `${state.data.name}.yaml`, "application/yaml");
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
  $("advise").addEventListener("click", runAdvise);
  $("advise-actor").addEventListener("change", () => selectActor($("advise-actor").value));
  $("sweep").addEventListener("click", runSweep);
  $("sweep-input").addEventListener("change", sweepEnds);
}

start().catch((e) => say("error: " + e.message));
