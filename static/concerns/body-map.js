// The body map on the "raise a concern" page (templates/concerns/raise.html).
// Clicking an outline places a mark: it fills in the next body-map row's side and position
// (hidden x and y, in per cent of the outline) and draws a numbered dot; the person then
// chooses where on the body and describes it in that row, exactly as without script.
// No inline script or style (the Content Security Policy forbids both): dots are SVG
// circles placed with attributes.
const SVG = "http://www.w3.org/2000/svg";

function rows() {
  return Array.from(document.querySelectorAll("[data-body-map-row]"));
}


function field(row, name) {
  return row.querySelector(`[name$="_${name}"]`);
}

function drawDot(svg, n, x, y) {
  svg.querySelectorAll(`[data-dot="${n}"]`).forEach((old) => old.remove());
  const group = document.createElementNS(SVG, "g");
  group.setAttribute("data-dot", String(n));
  const circle = document.createElementNS(SVG, "circle");
  circle.setAttribute("cx", String(x));
  circle.setAttribute("cy", String(y * 2));
  circle.setAttribute("r", "3.5");
  circle.setAttribute("fill", "#d4351c");
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", String(x + 4));
  label.setAttribute("y", String(y * 2 + 2));
  label.setAttribute("font-size", "7");
  label.setAttribute("font-family", "Arial, sans-serif");
  label.textContent = String(n);
  group.append(circle, label);
  svg.append(group);
}

function place(svg, event) {
  const box = svg.getBoundingClientRect();
  const x = Math.round(((event.clientX - box.left) / box.width) * 10000) / 100;
  const y = Math.round(((event.clientY - box.top) / box.height) * 10000) / 100;
  const side = svg.dataset.side;
  const free = rows().find((row) => !field(row, "x").value) || rows()[rows().length - 1];
  const n = free.dataset.bodyMapRow;
  field(free, "x").value = String(x);
  field(free, "y").value = String(y);
  field(free, "side").value = side;
  document.querySelectorAll("svg[data-side]").forEach((other) => {
    other.querySelectorAll(`[data-dot="${n}"]`).forEach((old) => old.remove());
  });
  drawDot(svg, n, x, y);
  const status = document.querySelector("[data-body-map-status]");
  if (status) {
    status.textContent = `Mark ${n} placed on the ${side}. Now choose where on the body and describe it.`;
  }
  field(free, "region").focus();
}

function start() {
  const maps = document.querySelectorAll("svg[data-side]");
  if (!maps.length) return;
  document.querySelectorAll("[data-body-map-hint]").forEach((hint) => hint.removeAttribute("hidden"));
  maps.forEach((svg) => {
    svg.classList.add("harbour-body-map--clickable");
    svg.addEventListener("click", (event) => place(svg, event));
  });
  // A form shown again with its errors keeps the dots already placed.
  rows().forEach((row) => {
    const x = parseFloat(field(row, "x").value);
    const y = parseFloat(field(row, "y").value);
    const svg = document.querySelector(`svg[data-side="${field(row, "side").value}"]`);
    if (svg && !Number.isNaN(x) && !Number.isNaN(y)) drawDot(svg, row.dataset.bodyMapRow, x, y);
  });
}

start();
