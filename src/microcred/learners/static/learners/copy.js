// "Copy" buttons: put the value of the field they name (data-copy) on the clipboard. What the
// button then says comes from the page (data-copied, data-selected), in the page's language.
document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copied || "Copied";
    } catch {
      button.textContent = button.dataset.selected || "Selected: press Ctrl+C";
    }
  });
});
