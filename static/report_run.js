// A report run's page (templates/core/report_run.html). While the document is being made,
// fetch the page again every few seconds and move the progress bar; once the run has finished
// (ready or failed), load the page again to show the download or the error. A static file, as
// the Content-Security-Policy allows no inline script; and not a <meta http-equiv="refresh">,
// which reloads the whole page under a screen reader's cursor (WCAG 2.2.1). Without
// JavaScript, the page's "Check again now" link does the same by hand.
const run = document.getElementById("report-run");

async function check(every) {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = page.getElementById("report-run");
    if (!response.ok || !next || !next.dataset.poll) {
      window.location.reload();
      return;
    }
    const bar = document.getElementById("run-progress");
    const nextBar = page.getElementById("run-progress");
    if (bar && nextBar) {
      bar.value = nextBar.value;
      bar.textContent = nextBar.textContent;
    }
  } catch {
    // A network blip: try again at the next turn.
  }
  window.setTimeout(() => check(every), every);
}

if (run && run.dataset.poll) {
  const every = Number(run.dataset.poll) * 1000;
  window.setTimeout(() => check(every), every);
}
