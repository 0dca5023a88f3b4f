// Statecraft's page, the rest of the format: the scenario's title, description and sources,
// and the details of any number (its range and distribution, its source and note), shown
// for the number whose box has the focus.
"use strict";

const NUMBERS = new Set(["capability", "position", "salience", "status_quo", "actual"]);
const DISTS = ["", "triangular", "uniform", "normal", "beta"];

function focusOn(path) {
  if (!NUMBERS.has(path[path.length - 1])) return;
  state.focus = path;
  renderDetails();
}

function words(path) {
  // A number's place by ids, as the command line names inputs: iran:territory:salience.
  const d = state.data;
  if (path[0] === "actors") {
    const id = (d.actors[path[1]] || {}).id;
    return path.length === 3 ? `${id}:capability` : `${id}:${path[3]}:${path[4]}`;
  }
  return `${(d.issues[path[1]] || {}).id}:${path[2]}`;
}

function renderDetails() {
  const box = $("details");
  box.replaceChildren();
  const path = state.focus;
  let holder = null;
  let last = null;
  if (path && state.data) {
    try {
      [holder, last] = [path.slice(0, -1).reduce((h, k) => h[k], state.data), path[path.length - 1]];
    } catch (e) {
      holder = null; // the number went with its actor or issue
    }
  }
  if (!holder) {
    box.append(element("p", "Click a number to see and edit its range, source and note.", "hint"));
    return;
  }
  const q = holder[last];
  const whole = q !== null && typeof q === "object" ? q : { value: q };
  box.append(element("h3", words(path)));
  box.dataset.of = JSON.stringify(path);
  box.append(element("span", `value: ${whole.value ?? "none"}`, "detail-value"), " ");
  const field = (key, control) => {
    control.dataset.detail = key;
    control.value = whole[key] ?? "";
    control.addEventListener("change", () => setDetail(path, key, control.value));
    box.append(labelled(key, control), " ");
  };
  field("low", document.createElement("input"));
  field("high", document.createElement("input"));
  const dist = document.createElement("select");
  for (const name of DISTS) dist.add(new Option(name || "(default)", name));
  field("dist", dist);
  const source = document.createElement("input");
  source.setAttribute("list", "source-ids");
  source.className = "name";
  field("source", source);
  const note = document.createElement("input");
  note.className = "note";
  field("note", note);
  box.append(element("div", "low and high: the plausible range, drawn by Monte Carlo, " +
    "brief and advise; dist: how (triangular unless said); source: an id of the sources " +
    "below or a citation.", "hint"));
}

function detailsValue() {
  // The shown number's value, after an edit; the fields stay as they are (rebuilding them
  // would take them from under the cursor).
  const shown = $("details").querySelector(".detail-value");
  if (!shown || !state.focus) return;
  const [holder, last] = at(state.focus);
  shown.textContent = `value: ${value(holder[last]) ?? "none"}`;
}

function setDetail(path, key, text) {
  const [holder, last] = at(path);
  let q = holder[last];
  if (q === undefined || q === null || q === "") {
    say(`give ${words(path)} a value first`);
    renderDetails();
    return;
  }
  snapshot();
  if (typeof q !== "object") q = holder[last] = { value: q };
  if (text.trim() === "") delete q[key];
  else q[key] = key === "low" || key === "high" ? parsed(text) : text;
  if (Object.keys(q).length === 1) holder[last] = q.value; // a plain number again
  state.dirty = true;
  validate();
}

function renderMeta() {
  const d = state.data;
  const box = $("meta");
  box.replaceChildren();
  const title = input(["title"], d.title, "wide");
  title.placeholder = "title";
  const about = input(["description"], d.description, "wide");
  about.placeholder = "description";
  box.append(labelled("Title", title), " ", labelled("Description", about));
  const sources = Array.isArray(d.sources) ? d.sources : [];
  const list = document.createElement("datalist");
  list.id = "source-ids";
  for (const s of sources) list.append(new Option(s.citation, s.id));
  const rows = sources.map((s, k) => [
    input(["sources", k, "id"], s.id, "name"),
    input(["sources", k, "citation"], s.citation, "wide"),
    input(["sources", k, "url"], s.url, "name"),
    button("×", `remove the source ${s.id}`, () => mutate(() => d.sources.splice(k, 1))),
  ]);
  const t = table(["Source", "Citation", "URL", ""], rows);
  t.id = "sources";
  box.append(list, t, button("Add source", "a source that numbers can cite by its id", addSource));
}

function addSource() {
  const id = window.prompt("The source's id (letters, digits, - _ .)");
  if (!id) return;
  mutate(() => {
    state.data.sources = state.data.sources || [];
    state.data.sources.push({ id, citation: id });
  });
}
