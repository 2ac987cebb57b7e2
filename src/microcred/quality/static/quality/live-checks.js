/* Re-run the quality checks on the design form's unsaved values while the designer edits.
   The panel (#quality-findings) names the URL that answers with fresh findings; each finding
   that names its field (data-anchor) is also shown in the list beside that field
   (ul.field-findings[data-for]), so the designer sees it where they are typing. A static
   file, not an inline script, so that the page's Content-Security-Policy can forbid those. */
"use strict";
(() => {
  const form = document.querySelector("form.design-form");
  const panel = document.querySelector("#quality-findings[data-url]");
  if (!form || !panel) return;
  const besideFields = () => {
    const lists = new Map();
    for (const list of form.querySelectorAll("ul.field-findings[data-for]")) {
      list.replaceChildren();
      lists.set(list.dataset.for, list);
    }
    for (const item of panel.querySelectorAll("li[data-anchor]")) {
      const list = lists.get(item.dataset.anchor);
      if (list) list.append(item.cloneNode(true));
    }
  };
  let timer;
  const check = async () => {
    const body = new FormData(form);
    body.delete("v-image");
    const response = await fetch(panel.dataset.url, {method: "POST", body});
    if (!response.ok) return;
    panel.innerHTML = await response.text();
    besideFields();
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 500);
  });
})();
