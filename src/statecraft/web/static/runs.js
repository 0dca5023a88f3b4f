// Statecraft's page, running: forecasts (with the bottom line and the risk), Monte Carlo
// studies and counterfactuals of every ticked model, the report, and past runs, each
// opened in a tab with its scenario in the editor.
"use strict";

function modelsOrDefault() {
  const chosen = chosenModels();
  return chosen.length ? chosen : [state.defaultModel];
}

async function runForecast() {
  if (!(await sync())) return;
  say("forecasting…");
  const pane = openTab("Forecast", "forecast");
  try {
    const models = chosenModels().length ? chosenModels() : null;
    const answer = await api("POST", "/api/forecast", {
      scenario: state.ref, models, options: options(),
    });
    renameTab(pane, `Forecast ${answer.run_id || ""}`.trim());
    await showForecast(pane, answer.forecast, answer.run_id, answer.charts);
    say("the bottom line: drawing…");
    const bottom = await api("POST", "/api/brief", {
      scenario: state.ref, models, options: options(), draws: drawsAsked(), seed: Number($("seed").value),
    });
    showBrief(pane, bottom.brief);
    const settled = Object.values(bottom.brief.issues).some(
      (i) => i.status_quo !== null && i.status_quo !== undefined);
    if (settled) {
      say("will it hold? weighing the risk…");
      const weighed = await api("POST", "/api/risk", {
        scenario: state.ref, draws: drawsAsked(), seed: Number($("seed").value),
      });
      showRisk(pane, weighed.risk);
    }
    state.last = { draws: 0 };
    say("done");
    loadRuns();
  } catch (e) {
    pane.append(element("p", "error: " + e.message, "problem"));
    failed(e);
  }
}

async function runStudy() {
  if (!(await sync())) return;
  const models = modelsOrDefault();
  try {
    const started = await api("POST", "/api/studies", {
      scenario: state.ref, models, draws: Number($("draws").value), seed: Number($("seed").value),
      options: options(),
    });
    state.study = started.id;
    $("progress").hidden = false;
    $("progress").max = started.total;
    $("progress").value = 0;
    $("cancel").hidden = false;
    say(`Monte Carlo with ${models.join(", ")}…`);
    poll(started.id, models);
  } catch (e) {
    failed(e);
  }
}

async function poll(id, models) {
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
    setTimeout(() => poll(id, models), 200);
    return;
  }
  $("cancel").hidden = true;
  state.study = null;
  if (s.status !== "done") {
    say(`Monte Carlo ${s.status}` + (s.error ? ": " + s.error : ""));
    return;
  }
  state.last = { draws: Math.min(s.result.draws, 20000), seed: Number($("seed").value) };
  const pane = openTab(`Monte Carlo ${s.run_id || ""}`.trim(), "study");
  showStudy(pane, s.result, s.run_id);
  for (const model of models) {
    await autoCharts(pane, "simulation", { model, draws: state.last.draws, seed: state.last.seed, options: options() });
  }
  say("Monte Carlo done");
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
  const models = modelsOrDefault();
  // The draws box, for each model; one request draws at most 20,000 in all.
  const most = Math.floor(20000 / models.length);
  const draws = drawsAsked(most);
  say(`comparing under ${models.join(", ")}…`);
  try {
    const answer = await api("POST", "/api/compare", {
      scenario: state.ref, patches, models, draws, seed: Number($("seed").value),
    });
    const pane = openTab("Counterfactuals", "comparison");
    heading(pane, `Counterfactuals (${models.join(", ")}), ${draws.toLocaleString()} draws`);
    for (const c of answer.comparisons) showComparison(pane, c.model, c.comparison, c.run_id);
    for (const model of models) await autoCharts(pane, "comparison", { patches, model });
    say(Number($("draws").value) > most ? `done: draws held to ${most.toLocaleString()} per model` : "done");
    loadRuns();
  } catch (e) {
    failed(e);
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
    failed(e);
  }
}

async function loadRuns() {
  try {
    const runs = await api("GET", "/api/runs?limit=20");
    const t = table(
      ["Run", "Time (UTC)", "Command", "Scenario", "Models", ""],
      runs.map((r) => [r.id, (r.created || "").slice(0, 19).replace("T", " "), r.command, r.scenario,
        r.models, button("Open", `open run ${r.id} with its scenario`, () => openRun(r.id))]),
    );
    $("runs").replaceChildren(...t.childNodes);
  } catch (e) {
    $("runs").textContent = "no runs: " + e.message;
  }
}

async function openRun(id) {
  // A past run: its scenario, as it was run, in the editor; its results in a new tab.
  say(`opening run ${id}…`);
  try {
    const run = await api("GET", `/api/runs/${encodeURIComponent(id)}`);
    if (run.input.kind === "scenario" && run.input.body) {
      const name = `${run.input.body.name || "run"}.json`;
      const kept = await api("POST", `/api/scenarios?name=${encodeURIComponent(name)}`, undefined,
        JSON.stringify(run.input.body));
      await loadList(kept.id);
      await open(kept.id);
    }
    const pane = openTab(`Run ${id}`, "run");
    pane.dataset.run = id;
    pane.append(element("p", `${run.command} of ${run.input.name || "a scenario"}, ` +
      `${run.created.slice(0, 19).replace("T", " ")} UTC, models ${run.models.join(", ")}` +
      (run.seed !== null ? `, seed ${run.seed}` : ""), "hint"));
    if (run.command === "forecast") await showForecast(pane, run.results, id, null);
    else if (run.command === "simulate") showStudy(pane, run.results, id);
    else if (run.command === "compare") showComparison(pane, run.models.join(", "), run.results, id);
    else pane.append(element("pre", JSON.stringify(run.results, null, 1)));
    say(`run ${id} opened with its scenario`);
  } catch (e) {
    failed(e);
  }
}
