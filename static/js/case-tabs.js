// The case page's tabs: after htmx has loaded a section, move the focus to its heading
// so that keyboard and screen-reader users land where the new content begins.
document.addEventListener("htmx:afterSettle", (event) => {
  const path = event.detail && event.detail.pathInfo && event.detail.pathInfo.requestPath;
  if (!path || path.indexOf("section=") === -1) return;
  const heading = document.querySelector("#case-sections .case-sections__panel h2");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
});
