// Builds elements with text, never HTML: whatever the API says is shown as text.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function say(region, message, kind = "info") {
  region.textContent = message;
  region.dataset.kind = kind;
}

export const query = (name) => new URLSearchParams(location.search).get(name);

// A "Try again" button that removes itself and runs `run` again: for a page whose load failed on the way.
export function retryButton(run) {
  const button = el("button", { type: "button" }, "Try again");
  button.addEventListener("click", () => { button.remove(); run(); });
  return button;
}
