// Statecraft's page, its charts: any chart of the registry (GET /api/charts), drawn by the
// server as SVG (POST /api/chart). Loaded before app.js, whose state and helpers it uses.
"use strict";

// Charts the page draws itself, interactively, rather than as the server's picture.
const OWN_CHARTS = new Set(["winners"]);

function captionOf(chart, issueLabel) {
  return chart.caption.replace("{issue}", issueLabel || "");
}

async function autoCharts(pane, needs, extra, met, issues) {
  // The charts drawn with a result wherever it is shown (the registry's "auto"), in its order.
  for (const chart of state.charts) {
    if (!chart.auto || chart.needs !== needs || OWN_CHARTS.has(chart.kind)) continue;
    if (met && !met.includes(chart.kind)) continue;
    if (chart.per_issue) {
      for (const issue of issues || state.data.issues) {
        await figure(pane, chart.kind, captionOf(chart, issue.label || issue.id), { ...extra, issue: issue.id });
      }
    } else {
      await figure(pane, chart.kind, captionOf(chart), extra);
    }
  }
}

async function figure(pane, kind, caption, extra) {
  // A chart of the registry, drawn by the server for the scenario as it stands, in a pane.
  try {
    const markup = await api("POST", "/api/chart", { scenario: state.ref, kind, ...(extra || {}) });
    const fig = document.createElement("figure");
    fig.className = "chart";
    fig.dataset.kind = kind;
    fig.innerHTML = markup;
    const cap = document.createElement("figcaption");
    cap.textContent = caption;
    fig.append(cap);
    pane.append(fig);
    return fig;
  } catch (e) {
    say("chart: " + e.message);
    return null;
  }
}

// --- the chart picker: any chart of the registry, for the scenario and models on screen --------

function chartChoices(issues, actors) {
  const fill = (select, items) => {
    const old = select.value;
    select.replaceChildren(...items.map(([id, text]) => new Option(text, id)));
    if (items.some(([id]) => id === old)) select.value = old;
  };
  fill($("chart-issue"), issues.map((i) => [i.id, i.label || i.id]));
  fill($("chart-actor"), actors.map((a) => [a.id, a.name || a.id]));
}

function pickedChart() {
  return state.charts.find((c) => c.kind === $("chart-kind").value);
}

function showChartInputs() {
  const chart = pickedChart();
  if (!chart) return;
  $("chart-issue-label").hidden = !chart.takes.includes("issue");
  $("chart-actor-label").hidden = !chart.takes.includes("actor");
  $("chart-table-label").hidden = chart.reads !== "deu-table";
  $("chart-about").textContent = chart.description +
    (chart.details ? ` (needs a model that gives ${chart.details_give})` : "");
}

function tickedPatches() {
  // Each ticked patch is a counterfactual; with "stack" ticked, all of them make one (a+b).
  const names = [...document.querySelectorAll("#patches input.patch:checked")].map((b) => b.value);
  const stack = document.getElementById("stack");
  return stack && stack.checked && names.length > 1 ? [names.join("+")] : names;
}

async function drawChart() {
  const chart = pickedChart();
  if (!chart) return;
  const chosen = chosenModels();
  const body = {
    models: chosen.length ? chosen : null,
    model: chosen[0] || state.defaultModel,
    options: options(),
    draws: Number($("draws").value),
    seed: Number($("seed").value),
  };
  let issueLabel = "";
  if (chart.takes.includes("issue")) {
    body.issue = $("chart-issue").value;
    issueLabel = $("chart-issue").selectedOptions[0]?.textContent || body.issue;
  }
  if (chart.takes.includes("actor")) body.actor = $("chart-actor").value;
  if (chart.takes.includes("patches")) body.patches = tickedPatches();
  if (chart.reads === "deu-table") {
    const file = $("chart-table").files[0];
    if (!file) {
      say(`the ${chart.kind} chart needs a DEU table: choose one`);
      return;
    }
    body.table = await file.text();
  } else if (!(await sync())) {
    return;
  }
  say(`drawing ${chart.kind}…`);
  // The picker's charts gather in one tab, opened again when it was closed.
  let pane = document.querySelector('#panes .pane[data-kind="charts"]');
  if (!pane) pane = openTab("Charts", "charts");
  showTab(pane);
  const fig = await figure(pane, chart.kind, captionOf(chart, issueLabel), body);
  if (fig) {
    fig.scrollIntoView({ block: "nearest" });
    say("done");
  }
}
