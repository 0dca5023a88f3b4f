// Statecraft's page, what would it take: the advise panel for the selected actor (POST
// /api/advise: its levers, biggest effect first, and what flips the verdict) and a sweep
// of any input with a slider (POST /api/sweep: every forecast and the biggest winner as
// the input moves).
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function leverChoices(actors) {
  const pick = $("advise-actor");
  const old = state.actor || pick.value;
  pick.replaceChildren(...actors.map((a) => new Option(a.name || a.id, a.id)));
  if (actors.some((a) => a.id === old)) pick.value = old;
  const keys = [];
  for (const a of actors) {
    keys.push(`${a.id}:capability`);
    for (const issue of Object.keys(a.stances || {})) {
      for (const field of ["position", "salience", "capability"]) keys.push(`${a.id}:${issue}:${field}`);
    }
  }
  const sweep = $("sweep-input");
  const was = sweep.value;
  sweep.replaceChildren(...keys.map((k) => new Option(k, k)));
  if (keys.includes(was)) sweep.value = was;
  else sweepEnds();
}

function sweepEnds() {
  // The input's plausible range: its own, else the scale (a position), 0 to 1 (a
  // salience), half to twice the value (a capability).
  const [actorId, issue, field] = $("sweep-input").value.split(":");
  const actor = (state.data.actors || []).find((a) => a.id === actorId);
  if (!actor) return;
  const q = field ? ((actor.stances || {})[issue] || {})[field] ?? actor.capability : actor.capability;
  const v = Number(value(q));
  let ends;
  if (q && typeof q === "object" && q.low != null && q.high != null) ends = [q.low, q.high];
  else if (field === "position") {
    const scale = (state.data.issues.find((i) => i.id === issue) || {}).scale || {};
    ends = [scale.low ?? 0, scale.high ?? 100];
  } else if (field === "salience") ends = [0, 1];
  else ends = [v / 2, v * 2];
  $("sweep-from").value = ends[0];
  $("sweep-to").value = ends[1];
}

async function runAdvise() {
  if (!(await sync())) return;
  const actor = $("advise-actor").value;
  const model = chosenModels()[0] || state.defaultModel;
  say(`advising ${actor} under ${model}…`);
  try {
    const answer = await api("POST", "/api/advise", {
      scenario: state.ref, actor, model, options: options(),
      draws: drawsAsked(), seed: Number($("seed").value),
    });
    showAdvice(openTab(`Advise: ${actor}`, "advice"), answer.advice);
    say("done");
  } catch (e) {
    failed(e);
  }
}

function showAdvice(pane, a) {
  heading(pane, `What would it take? ${a.actor} under ${a.model}`);
  const goal = a.goal.kind === "gain" ? `its own gain on ${a.issues.join(", ")}` :
    "closeness to " + Object.entries(a.goal.targets).map(([i, v]) => `${i} = ${v}`).join(", ");
  pane.append(element("p", `Goal: ${goal}, now ${a.goal_value.toFixed(3)}. Robustness: the share ` +
    `of ${a.draws.toLocaleString()} draws of the uncertain inputs in which the lever helps. ` +
    "A sensitivity of the model to the coded inputs, not a promise about the world (docs/advise.md).", "hint"));
  const fixed = (x, d = 3) => (x === null || x === undefined ? "–" : x.toFixed(d));
  const rows = a.levers.slice(0, 15).map((lv) => [
    lv.input, fixed(lv.value, 2), lv.low === null ? "–" : `${fixed(lv.low, 2)} to ${fixed(lv.high, 2)}`,
    signed(lv.effect_per_unit, 4), signed(lv.effect_range, 3), lv.direction,
    lv.robustness === null ? "–" : percent(lv.robustness),
    ["position", "salience", "capability"].includes(lv.kind)
      ? button("Sweep", `sweep ${lv.input} over its range`, () => sweepLever(lv)) : "",
  ]);
  const t = table(["Lever", "Now", "Range", "Effect per unit", "Effect across the range",
    "Direction", "Robustness", ""], rows);
  t.className = "levers";
  pane.append(t);
  const f = a.flips;
  if (f) {
    pane.append(element("h3", "What would change this verdict"));
    pane.append(element("p", `${f.what} = ${f.verdict ?? "nobody"} under ${f.model}; the smallest ` +
      "changes, in units of each input's plausible range:"));
    const flips = [...f.single.slice(0, 5).map((x) => ["one", x]), ...(f.pair ? [["pair", f.pair]] : [])];
    const ft = table(["", "Inputs", "From", "To", "Cost", "New verdict"], flips.map(([kind, x]) => [
      kind, x.inputs.join(" + "), x.from.map((v) => v.toFixed(2)).join(", "),
      x.to.map((v) => v.toFixed(2)).join(", "), x.cost.toFixed(2), x.verdict ?? "nobody",
    ]));
    ft.className = "flips";
    pane.append(ft);
  }
  for (const note of a.notes) pane.append(element("p", note, "hint"));
}

function sweepLever(lv) {
  $("sweep-input").value = lv.input;
  sweepEnds();
  if (lv.low !== null && lv.high !== null) {
    $("sweep-from").value = lv.low;
    $("sweep-to").value = lv.high;
  }
  runSweep();
}

async function runSweep() {
  if (!(await sync())) return;
  const body = {
    scenario: state.ref, input: $("sweep-input").value, start: Number($("sweep-from").value),
    stop: Number($("sweep-to").value), steps: Number($("sweep-steps").value),
    model: chosenModels()[0] || state.defaultModel, options: options(), seed: Number($("seed").value),
  };
  say(`sweeping ${body.input}…`);
  try {
    const answer = await api("POST", "/api/sweep", body);
    showSweep(openTab(`Sweep: ${body.input}`, "sweep"), answer.sweep);
    say("done");
  } catch (e) {
    failed(e);
  }
}

function showSweep(pane, sw) {
  // A slider over the sweep's points: each issue's forecast and the biggest winner there,
  // and a chart of every forecast along the input, the points where the winner changes marked.
  const key = sw.inputs[0];
  heading(pane, `Sweep of ${key} under ${sw.model}`);
  const points = sw.points;
  const changes = points.map((p, k) => k).filter((k) => k > 0 && points[k].winner !== points[k - 1].winner);
  pane.append(element("p", changes.length
    ? `The biggest winner changes at ${changes.map((k) => `${points[k].value.toPrecision(3)} (to ${points[k].winner ?? "nobody"})`).join(", ")}.`
    : `The biggest winner stays ${points[0].winner ?? "nobody"} over the whole sweep.`, "sweep-summary"));
  const slider = document.createElement("input");
  slider.type = "range";
  slider.className = "sweep-slider";
  slider.min = 0;
  slider.max = points.length - 1;
  slider.step = 1;
  slider.value = 0;
  slider.setAttribute("aria-label", key);
  const readout = element("p", "", "sweep-readout");
  const where = element("div");
  const chart = sweepChart(sw, changes);
  const show = () => {
    const p = points[Number(slider.value)];
    readout.textContent = `${key} = ${p.value.toPrecision(4)}: biggest winner ${p.winner ?? "nobody"}`;
    const t = table(["Issue", "Forecast"], Object.entries(p.forecasts).map(([i, f]) => [i, f]));
    t.className = "sweep-point";
    where.replaceChildren(t);
    chart.querySelector(".cursor").setAttribute("x1", chart.xOf(p.value));
    chart.querySelector(".cursor").setAttribute("x2", chart.xOf(p.value));
  };
  slider.addEventListener("input", show);
  pane.append(slider, readout, chart, where);
  show();
}

function sweepChart(sw, changes) {
  // Each issue's forecast as a share of its scale (0 at the bottom, 1 at the top).
  const width = 640;
  const height = 260;
  const left = 40;
  const right = 150;
  const points = sw.points;
  const x0 = points[0].value;
  const x1 = points[points.length - 1].value;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.classList.add("sweep-chart");
  svg.xOf = (v) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const yOf = (share) => 10 + (1 - share) * (height - 40);
  const line = (attrs, cls) => {
    const el = document.createElementNS(SVG, "line");
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (cls) el.classList.add(cls);
    svg.append(el);
    return el;
  };
  line({ x1: left, x2: width - right, y1: yOf(0), y2: yOf(0) }, "axis");
  const scales = Object.fromEntries((state.data.issues || []).map((i) => [i.id, i.scale || {}]));
  const palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000"];
  sw.issues = Object.keys(points[0].forecasts);
  sw.issues.forEach((issue, k) => {
    const scale = scales[issue] || {};
    const low = scale.low ?? 0;
    const high = scale.high ?? 100;
    const path = document.createElementNS(SVG, "polyline");
    const xy = points.filter((p) => p.forecasts[issue] !== null)
      .map((p) => `${svg.xOf(p.value)},${yOf((p.forecasts[issue] - low) / (high - low))}`);
    path.setAttribute("points", xy.join(" "));
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", palette[k % palette.length]);
    path.setAttribute("stroke-width", 2);
    const title = document.createElementNS(SVG, "title");
    title.textContent = issue;
    path.append(title);
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", width - right + 6);
    label.setAttribute("y", 20 + 14 * k);
    label.setAttribute("fill", palette[k % palette.length]);
    label.textContent = issue;
    svg.append(path, label);
  });
  for (const k of changes) {
    const x = (svg.xOf(points[k - 1].value) + svg.xOf(points[k].value)) / 2;
    line({ x1: x, x2: x, y1: yOf(1), y2: yOf(0) }, "change").setAttribute("stroke-dasharray", "4 3");
  }
  line({ x1: left, x2: left, y1: yOf(1), y2: yOf(0) }, "cursor");
  for (const [v, anchor] of [[x0, "start"], [x1, "end"]]) {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", svg.xOf(v));
    t.setAttribute("y", height - 12);
    t.setAttribute("text-anchor", anchor);
    t.textContent = v.toPrecision(3);
    svg.append(t);
  }
  return svg;
}
