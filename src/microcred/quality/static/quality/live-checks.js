/* Re-run the quality checks on the design form's unsaved values while the designer edits.
   The panel (#quality-findings) names the URL that answers with fresh findings. A static
   file, not an inline script, so that the page's Content-Security-Policy can forbid those. */
"use strict";
(() => {
  const form = document.querySelector("form.design-form");
  const panel = document.querySelector("#quality-findings[data-url]");
  if (!form || !panel) return;
  let timer;
  const check = async () => {
    const body = new FormData(form);
    body.delete("v-image");
    const response = await fetch(panel.dataset.url, {method: "POST", body});
    if (response.ok) panel.innerHTML = await response.text();
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 500);
  });
})();
