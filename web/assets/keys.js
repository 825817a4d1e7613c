// The key a field office or editor types, kept for this browser tab only (sessionStorage).
import { say } from "./dom.js";

export function keyField(form, storageName, onChange) {
  const input = form.querySelector("input[type=password]");
  const status = form.querySelector("[role=status]");
  input.value = sessionStorage.getItem(storageName) || "";
  const show = () => say(status, input.value ? "Key kept for this tab." : "No key yet.");
  show();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) sessionStorage.setItem(storageName, key);
    else sessionStorage.removeItem(storageName);
    show();
    onChange(key);
  });
  form.querySelector("[data-forget]")?.addEventListener("click", () => {
    sessionStorage.removeItem(storageName);
    input.value = "";
    show();
    onChange("");
  });
  return () => sessionStorage.getItem(storageName) || "";
}
