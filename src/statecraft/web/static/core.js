// Statecraft's page, its core: the shared state, the API client and small helpers that
// every other script uses. Loaded first; every action goes through the JSON API under /api/.
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
  actor: null, // the actor selected in the grid (the advise panel's)
  focus: null, // the path of the number whose details are shown
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

function parsed(text) {
  const n = Number(text);
  return text.trim() === "" || Number.isNaN(n) ? text : n;
}

function at(path) {
  // The holder of the last key of a path, and that key (holders made on the way).
  let holder = state.data;
  for (const key of path.slice(0, -1)) holder = holder[key] ?? (holder[key] = {});
  return [holder, path[path.length - 1]];
}

// --- small pieces of the page ----------------------------------------------------------------

function input(path, current, cls) {
  // path: the keys from the scenario's root to this value, e.g. ["actors", 4, "capability"]
  const box = document.createElement("input");
  box.value = current === undefined || current === null ? "" : current;
  box.dataset.path = JSON.stringify(path);
  if (cls) box.className = cls;
  box.addEventListener("change", () => edit(path, box.value));
  box.addEventListener("focus", () => focusOn(path));
  return box;
}

function button(text, title, action) {
  const b = document.createElement("button");
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", action);
  return b;
}

function element(tag, text, cls) {
  const el = document.createElement(tag);
  if (text !== undefined && text !== null) el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function save(text, name, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
}

function table(head, rows) {
  const t = document.createElement("table");
  const h = t.insertRow();
  for (const text of head) h.append(element("th", text));
  for (const row of rows) {
    const r = t.insertRow();
    for (const cell of row) {
      const td = r.insertCell();
      if (cell instanceof Node) td.append(cell);
      else td.textContent = typeof cell === "number" ? cell.toFixed(1) : cell ?? "–";
      if (typeof cell === "number") td.className = "num";
    }
  }
  return t;
}

function percent(p) {
  if (!(p > 0)) return "0%";
  return p < 0.005 ? "<1%" : `${Math.round(p * 100)}%`;
}

function signed(x, digits = 2) {
  return x === null || x === undefined ? "–" : (x >= 0 ? "+" : "") + x.toFixed(digits);
}

function drawsAsked(most = 20000) {
  // The draws box, held to what one request may draw.
  return Math.max(1, Math.min(Number($("draws").value) || 2000, most));
}

function chosenModels() {
  return [...document.querySelectorAll("#models input:checked")].map((b) => b.value);
}

function failed(e) {
  say("error: " + e.message);
}
