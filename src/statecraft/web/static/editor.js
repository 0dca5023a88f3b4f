// Statecraft's page, the editor: the grid of actors by issues (each cell a stance: position,
// salience and the actor's capability on that issue), each issue's scale, meanings, unit,
// status quo and actual outcome; edits, undo, and the server's check of every edit.
"use strict";

// Fields that hold text, and numbers that may be left out (an empty box removes them).
const TEXT = new Set(["label", "name", "low_meaning", "high_meaning", "unit", "title",
  "description", "id", "citation", "url", "source", "note", "dist"]);
const OPTIONAL = new Set(["status_quo", "actual"]);

function snapshot() {
  state.history.push(JSON.stringify(state.data));
  if (state.history.length > 200) state.history.shift();
  $("undo").disabled = false;
}

function labelled(text, box) {
  const label = element("label", text + " ", "mini");
  label.append(box);
  return label;
}

function issueHead(issue, k) {
  const th = document.createElement("th");
  th.dataset.issue = issue.id;
  const scale = issue.scale || {};
  th.append(element("code", issue.id), " ", input(["issues", k, "label"], issue.label, "name"));
  th.append(button("×", `remove the issue ${issue.id}`, () => removeIssue(k)));
  th.append(document.createElement("br"));
  th.append(input(["issues", k, "scale", "low"], scale.low ?? 0), " – ");
  th.append(input(["issues", k, "scale", "high"], scale.high ?? 100), " ");
  const unit = input(["issues", k, "scale", "unit"], scale.unit, "unit");
  unit.placeholder = "unit";
  th.append(unit, document.createElement("br"));
  for (const [key, hint] of [["low_meaning", "low end means"], ["high_meaning", "high end means"]]) {
    const box = input(["issues", k, "scale", key], scale[key], "name");
    box.placeholder = hint;
    th.append(box, document.createElement("br"));
  }
  const sq = input(["issues", k, "status_quo"], value(issue.status_quo));
  sq.placeholder = "none";
  const actual = input(["issues", k, "actual"], value(issue.actual));
  actual.placeholder = "none";
  th.append(labelled("status quo", sq), labelled("actual", actual));
  th.append(element("div", "position / salience / capability here", "hint"));
  return th;
}

function stanceCell(actor, i, issue) {
  const cell = document.createElement("td");
  const stance = (actor.stances || {})[issue.id];
  if (!stance) {
    cell.append(button("+", `give ${actor.id} a position on ${issue.id}`, () => addStance(i, issue)));
    return cell;
  }
  const pair = element("div", null, "cell");
  const where = ["actors", i, "stances", issue.id];
  pair.append(input([...where, "position"], value(stance.position)));
  pair.append(input([...where, "salience"], value(stance.salience)));
  const own = input([...where, "capability"], value(stance.capability), "own");
  own.placeholder = "–";
  own.title = `${actor.id}'s capability on ${issue.id} alone (empty: its overall capability)`;
  pair.append(own);
  cell.append(pair);
  return cell;
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
  for (const text of ["Actor", "Name", "Capability"]) head.append(element("th", text));
  issues.forEach((issue, k) => head.append(issueHead(issue, k)));
  actors.forEach((actor, i) => {
    const row = grid.insertRow();
    row.dataset.actor = actor.id;
    if (actor.id === state.actor) row.classList.add("selected");
    const id = row.insertCell();
    id.textContent = actor.id;
    id.className = "actor-id";
    id.title = `select ${actor.id} (the advise panel's actor)`;
    id.addEventListener("click", () => selectActor(actor.id));
    row.addEventListener("focusin", () => selectActor(actor.id));
    row.insertCell().append(input(["actors", i, "name"], actor.name, "name"));
    row.insertCell().append(input(["actors", i, "capability"], value(actor.capability)));
    for (const issue of issues) row.append(stanceCell(actor, i, issue));
    row.insertCell().append(button("×", `remove ${actor.id}`, () => removeActor(i)));
  });
  renderMeta();
  renderDetails();
  chartChoices(issues, actors);
  leverChoices(actors);
}

function selectActor(id) {
  if (state.actor === id) return;
  state.actor = id;
  for (const row of document.querySelectorAll("#grid tr[data-actor]")) {
    row.classList.toggle("selected", row.dataset.actor === id);
  }
  $("advise-actor").value = id;
}

function edit(keys, text) {
  snapshot();
  const [holder, last] = at(keys);
  const stanceCapability = keys.length === 5 && keys[2] === "stances" && last === "capability";
  if (TEXT.has(last)) {
    if (text.trim() === "" && !["label", "id", "citation"].includes(last)) delete holder[last];
    else holder[last] = text;
  } else if (text.trim() === "" && (OPTIONAL.has(last) || stanceCapability)) {
    delete holder[last];
  } else {
    setValue(holder, last, parsed(text));
  }
  state.dirty = true;
  if (keys[0] === "title") $("title").textContent = text || state.data.name;
  detailsValue();
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

function middle(issue) {
  const scale = issue.scale || {};
  return (Number(scale.low ?? 0) + Number(scale.high ?? 100)) / 2;
}

function addStance(i, issue) {
  mutate(() => {
    state.data.actors[i].stances = state.data.actors[i].stances || {};
    state.data.actors[i].stances[issue.id] = { position: middle(issue), salience: 0.5 };
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
    for (const issue of state.data.issues) stances[issue.id] = { position: middle(issue), salience: 0.5 };
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
