// Model options as a form, made from each model's declared options (GET /api/models gives
// their JSON Schema): a list for a choice, a box for true/false, a number field with the
// declared bounds, and a text field for an option that takes a number or a word.
"use strict";

function optionControl(name, spec) {
  let input;
  if (spec.enum) {
    input = document.createElement("select");
    for (const value of spec.enum) input.add(new Option(value, value));
    input.value = spec.default;
  } else if (spec.type === "boolean") {
    input = document.createElement("input");
    input.type = "checkbox";
    input.checked = spec.default;
  } else if (spec.type === "number" || spec.type === "integer") {
    input = document.createElement("input");
    input.type = "number";
    input.value = spec.default;
    for (const [key, attr] of [["minimum", "min"], ["maximum", "max"],
                               ["exclusiveMinimum", "min"], ["exclusiveMaximum", "max"]]) {
      if (spec[key] !== undefined) input.setAttribute(attr, spec[key]);
    }
    input.step = spec.type === "integer" ? "1" : "any";
  } else {
    input = document.createElement("input");
    input.value = spec.default;
    input.size = 10;
  }
  input.dataset.option = name;
  input.dataset.default = JSON.stringify(spec.default);
  input.dataset.kind = spec.enum ? "choice" : spec.type || "any";
  const label = document.createElement("label");
  label.title = spec.description || "";
  label.append(name + " ", input);
  return label;
}

function optionForms(models) {
  // One fieldset per model with options, shown while the model is ticked.
  const box = $("model-options");
  box.replaceChildren();
  for (const m of models) {
    const props = (m.schema && m.schema.properties) || {};
    if (!Object.keys(props).length) continue;
    const set = document.createElement("fieldset");
    set.dataset.model = m.name;
    set.hidden = !m.default;
    const legend = document.createElement("legend");
    legend.textContent = m.name + " options";
    set.append(legend);
    for (const [name, spec] of Object.entries(props)) set.append(optionControl(name, spec));
    box.append(set);
  }
  $("models").addEventListener("change", showOptionForms);
}

function showOptionForms() {
  const ticked = new Set(chosenModels());
  for (const set of $("model-options").querySelectorAll("fieldset")) {
    set.hidden = !ticked.has(set.dataset.model);
  }
}

function optionValue(input) {
  if (input.type === "checkbox") return input.checked;
  if (input.dataset.kind === "number" || input.dataset.kind === "integer") {
    return Number(input.value);
  }
  return input.dataset.kind === "choice" ? input.value : parsed(input.value);
}

function options() {
  // The options changed from their defaults on the ticked models, by name (the API gives
  // each option to every model run that takes it).
  const out = {};
  const ticked = new Set(chosenModels());
  for (const set of $("model-options").querySelectorAll("fieldset")) {
    if (!ticked.has(set.dataset.model)) continue;
    for (const input of set.querySelectorAll("[data-option]")) {
      const value = optionValue(input);
      if (JSON.stringify(value) === input.dataset.default) continue;
      const name = input.dataset.option;
      if (name in out && out[name] !== value) {
        throw new Error(`option ${name} is set twice, differently: it goes to every model that takes it`);
      }
      out[name] = value;
    }
  }
  return out;
}
