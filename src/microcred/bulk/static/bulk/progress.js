/* Keep a bulk job's progress bar and figures current while the job runs: ask the API for
   the job (the panel names its URL) every two seconds, and reload the page once the job
   stops, so its buttons and failed rows are current too. A static file, not an inline
   script, so that the page's Content-Security-Policy can forbid those. The words it writes
   come from the panel's data attributes, which the template fills in the page's language. */
"use strict";
(() => {
  const panel = document.querySelector("#bulk-progress[data-url]");
  if (!panel || panel.dataset.status !== "running") return;
  const bar = document.querySelector("#bulk-bar");
  const show = (name, text) => {
    const cell = panel.querySelector(`[data-figure="${name}"]`);
    if (cell) cell.textContent = text;
  };
  const update = async () => {
    const response = await fetch(panel.dataset.url, {headers: {Accept: "application/json"}});
    if (!response.ok) return;
    const {progress} = await response.json();
    bar.max = progress.total;
    bar.value = progress.done;
    bar.textContent = `${Math.floor((100 * progress.done) / progress.total)}%`;
    for (const name of ["issued", "failed", "remaining"]) show(name, String(progress[name]));
    show("rate", progress.rate.toFixed(1));
    const secondsLeft = progress.seconds_left === null
      ? panel.dataset.unknown
      : panel.dataset.seconds.replace("{seconds}", String(progress.seconds_left));
    show("seconds_left", secondsLeft);
    if (progress.status !== "running") {
      window.location.reload();
      return;
    }
    setTimeout(update, 2000);
  };
  setTimeout(update, 1000);
})();
